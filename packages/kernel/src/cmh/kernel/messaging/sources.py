"""The CloudEvents ``source`` an event carries: the context that produced it, named as its
service names itself (``cloudmastershub/courses``), whichever process hosts the context,
so a consumer reads the same envelope in the embedded and the distributed profile."""

from __future__ import annotations

from collections.abc import Callable

from cmh.contracts.events.base import IntegrationEvent

EventSource = Callable[[IntegrationEvent], str]


def single_context(service: str) -> EventSource:
    """A service hosting one context: every event it records is that context's."""
    return lambda _event: service


def per_context(organisation: str = "cloudmastershub") -> EventSource:
    """A process hosting several contexts (the embedded platform). Topics are
    ``<context>.<aggregate>`` (``courses.learning``), so the topic names the producer."""

    def source(event: IntegrationEvent) -> str:
        context, _, _ = event.TOPIC.partition(".")
        return f"{organisation}/{context}"

    return source
