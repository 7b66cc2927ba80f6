"""Domain events of Notifications: none so far. No other context acts on a notification or
its delivery, and no contract event exists for them, so the aggregates record nothing and
``NOTIFICATIONS_EVENTS`` maps nothing; a fact another context comes to need is declared
here as a dataclass and mapped there."""
