"""From domain events to ``contracts`` events: one map per context.

A context declares, for each domain event its aggregates record, the integration events
it becomes (each with the aggregate it is about, the message key): one, several, or
``None`` when the fact stays inside the context. The unit of work applies the map at
commit, so the events leave through the outbox in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cmh.contracts.events.base import IntegrationEvent
from cmh.kernel.domain_events import RecordsEvents, take_events


@dataclass(frozen=True, slots=True)
class Outgoing:
    event: IntegrationEvent
    subject: str  # the aggregate the event is about: its key on the topic


Translate = Callable[[Any], Outgoing | Sequence[Outgoing] | None]


class UnmappedEvent(LookupError):
    """A domain event no context maps: a programming error, caught by the map's test."""


class EventMap:
    def __init__(self, translations: Mapping[type, Translate] | None = None) -> None:
        self._translations = dict(translations or {})

    def __call__(self, event: object) -> list[Outgoing]:
        try:
            translate = self._translations[type(event)]
        except KeyError:
            raise UnmappedEvent(
                f"no contracts event is declared for {type(event).__name__}"
            ) from None
        found = translate(event)
        if found is None:
            return []
        return [found] if isinstance(found, Outgoing) else list(found)

    def __contains__(self, kind: type) -> bool:
        return kind in self._translations

    @property
    def domain_events(self) -> frozenset[type]:
        return frozenset(self._translations)

    @classmethod
    def merged(cls, *maps: EventMap) -> EventMap:
        """Several contexts' maps in one process (the embedded platform)."""
        translations: dict[type, Translate] = {}
        for one in maps:
            clash = translations.keys() & one._translations.keys()
            if clash:
                raise ValueError(f"mapped twice: {sorted(k.__name__ for k in clash)}")
            translations.update(one._translations)
        return cls(translations)


def collect(aggregates: Iterable[RecordsEvents], events: EventMap) -> list[IntegrationEvent]:
    """The integration events of what ``aggregates`` recorded, in order (taken from them)."""
    return [out.event for out in outgoing(aggregates, events)]


def outgoing(aggregates: Iterable[RecordsEvents], events: EventMap) -> list[Outgoing]:
    """Each recorded domain event the map publishes, with its subject, in order."""
    return [
        out for aggregate in aggregates for event in take_events(aggregate) for out in events(event)
    ]
