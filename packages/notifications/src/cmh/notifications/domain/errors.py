"""The notifications context's refusals, mapped to problem details by the kernel."""

from __future__ import annotations

from cmh.kernel.errors import InvalidInput, NotFound


class NotificationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("no such notification", code="notification_not_found")


class InvalidUnsubscribeToken(InvalidInput):
    def __init__(self) -> None:
        super().__init__(
            "the unsubscribe link is not valid", code="invalid_unsubscribe_token", field="token"
        )


class InvalidDeliveryMove(ValueError):
    """A delivery asked to move where its state machine does not go (a programming error)."""
