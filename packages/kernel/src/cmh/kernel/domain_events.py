"""Domain events: what an aggregate records as its state changes.

An aggregate keeps the facts it recorded in an ``events`` list (``recorded_events()``
declares it on a dataclass). Repositories hand saved aggregates to the unit of work
(``UnitOfWork.track``); at commit the unit of work takes the recorded events, lets the
context's mapper (``cmh.kernel.event_mapping``) turn each into its ``contracts`` event,
and writes them to the outbox in the same transaction. Domain code imports only this
module: plain dataclasses, no framework, no I/O.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Protocol


class RecordsEvents(Protocol):
    """An aggregate with the domain events it recorded since it was loaded, oldest first."""

    events: list[Any]


def recorded_events() -> Any:
    """The ``events`` field of an aggregate dataclass: empty at creation and at load, left
    out of ``__init__``, ``repr`` and equality."""
    return field(default_factory=list, init=False, repr=False, compare=False)


def take_events(aggregate: RecordsEvents) -> list[Any]:
    """The events ``aggregate`` recorded, removed from it (each leaves once)."""
    taken = list(aggregate.events)
    aggregate.events.clear()
    return taken
