"""Quiet Kafka failures: one line when the link to the broker breaks (failures for longer
than a grace of 2 s), reminders at growing intervals carrying a count, one line when it
answers again.

aiokafka logs an ERROR through the stdlib ``aiokafka`` loggers on every reconnect,
metadata, fetch and heartbeat attempt: about 140 lines a second per worker while the broker
is down. ``install`` puts a filter on those loggers that turns each failure record into a
count on ``KafkaLink`` and drops it. Success is learnt from aiokafka's own INFO records
(coordinator found, group synced) and from this process's code (a publish acknowledged, a
message consumed, a readiness ping answered: ``LINK.answered()``). Warnings that say
nothing about the link (a rebalance under way) still get their own line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import structlog
from prometheus_client import Counter, Gauge

LINK_UP = Gauge(
    "cmh_kafka_link_up",
    "1 while this process's Kafka clients reach the broker; 0 from a failure until it answers",
)
CLIENT_ERRORS = Counter(
    "cmh_kafka_client_errors_total",
    "Failed attempts the Kafka clients reported (the log has one line per state change)",
)


def _log() -> structlog.typing.FilteringBoundLogger:
    # Looked up per line (a few per outage): logging set up later, or captured by a
    # test, is what is used.
    return structlog.get_logger("cmh.kafka")  # type: ignore[no-any-return]


# aiokafka's INFO records that prove the broker answers again.
_ANSWERED = ("Discovered coordinator", "Successfully synced group", "Joined group")
# Its WARNING records that are about the link (the rest are rebalance news).
_LINK_WARNINGS = (
    "Unable to request metadata",
    "Marking the coordinator dead",
    "Heartbeat failed for group %s: coordinator",
    "Got error produce response",
    "Cannot send %r to %s",
    "Could not send %r",
)


class KafkaLink:
    def __init__(
        self,
        *,
        grace: float = 2.0,
        first_reminder: float = 10.0,
        max_reminder: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._grace = grace
        self._first = first_reminder
        self._max = max_reminder
        self._now = monotonic
        self._failing_since: float | None = None  # first failure not followed by an answer
        self._first_error = ""
        self._down = False  # failing for longer than the grace: the log said so
        self._failures = 0
        self._interval = first_reminder
        self._next_reminder = 0.0
        LINK_UP.set(1)

    @property
    def up(self) -> bool:
        return not self._down

    def failed(self, error: str) -> None:
        CLIENT_ERRORS.inc()
        now = self._now()
        self._failures += 1
        if self._failing_since is None:
            self._failing_since, self._first_error = now, error
        if not self._down:
            # A coordinator moving or loading answers within a second: not an outage.
            if now - self._failing_since >= self._grace:
                self._down = True
                self._interval, self._next_reminder = self._first, now + self._first
                LINK_UP.set(0)
                _log().warning(
                    "kafka.unreachable", error=self._first_error, failures=self._failures
                )
            return
        if now >= self._next_reminder:
            _log().warning(
                "kafka.still_unreachable",
                failures=self._failures,
                down_seconds=round(now - self._failing_since, 1),
                last_error=error,
            )
            self._interval = min(self._interval * 2, self._max)
            self._next_reminder = now + self._interval

    def answered(self) -> None:
        if self._failing_since is None:
            return
        if self._down:
            _log().info(
                "kafka.reachable_again",
                failures=self._failures,
                down_seconds=round(self._now() - self._failing_since, 1),
            )
            LINK_UP.set(1)
        self._failing_since, self._down, self._failures = None, False, 0


class KafkaLogFilter(logging.Filter):
    def __init__(self, link: KafkaLink) -> None:
        super().__init__()
        self._link = link

    def filter(self, record: logging.LogRecord) -> bool:
        template = str(record.msg)
        if record.levelno >= logging.ERROR or (
            record.levelno >= logging.WARNING and template.startswith(_LINK_WARNINGS)
        ):
            self._link.failed(record.getMessage()[:300])
        elif record.levelno >= logging.WARNING:
            _log().warning("kafka.client", logger=record.name, message=record.getMessage())
        elif template.startswith(_ANSWERED):
            self._link.answered()
        return False  # every line that leaves here went through structlog above


class _Drop(logging.Handler):
    """Runs the filter (``NullHandler`` would skip it) and writes nothing."""

    def emit(self, record: logging.LogRecord) -> None:
        return None


# One per process, as the stdlib loggers are.
LINK = KafkaLink()


def install(link: KafkaLink = LINK) -> None:
    """Route aiokafka's records through the filter (idempotent)."""
    logger = logging.getLogger("aiokafka")
    for handler in logger.handlers:
        if any(isinstance(f, KafkaLogFilter) for f in handler.filters):
            return
    handler = _Drop()
    handler.addFilter(KafkaLogFilter(link))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)  # the INFO records are the recovery signal
    logger.propagate = False
