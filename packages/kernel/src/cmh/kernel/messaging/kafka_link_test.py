import logging
from collections.abc import Iterator

import pytest
from structlog.testing import capture_logs

from cmh.kernel.messaging.kafka_link import KafkaLink, KafkaLogFilter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def aiokafka_logger() -> Iterator[tuple[logging.Logger, KafkaLink, Clock]]:
    clock = Clock()
    link = KafkaLink(grace=2, first_reminder=10, max_reminder=40, monotonic=clock)
    logger = logging.getLogger("aiokafka.test_link")
    handler = logging.Handler()
    handler.emit = lambda record: None  # type: ignore[method-assign]
    handler.addFilter(KafkaLogFilter(link))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, link, clock
    finally:
        logger.removeHandler(handler)


def test_an_outage_is_one_line_then_reminders_at_growing_intervals_then_one_line(
    aiokafka_logger: tuple[logging.Logger, KafkaLink, Clock],
) -> None:
    logger, link, clock = aiokafka_logger
    with capture_logs() as lines:
        # 60 s of an outage at aiokafka's pace: 140 failed attempts a second.
        for tick in range(60 * 140):
            clock.now = tick / 140
            logger.error("Unable connect to node with id %s: %s", 1, "refused")
            logger.warning("Got error produce response: %s", "NodeNotReadyError")
        logger.info("Discovered coordinator %s for group %s", 1, "g")

    events = [line["event"] for line in lines]
    assert events == [
        "kafka.unreachable",  # after the 2 s grace
        "kafka.still_unreachable",  # at 12 s
        "kafka.still_unreachable",  # 32 s
        "kafka.reachable_again",
    ]
    assert lines[0]["error"] == "Unable connect to node with id 1: refused"
    assert lines[-1]["failures"] == 2 * 60 * 140
    assert link.up


def test_rebalance_news_keeps_its_own_line_and_is_not_an_outage(
    aiokafka_logger: tuple[logging.Logger, KafkaLink, Clock],
) -> None:
    logger, link, _ = aiokafka_logger
    with capture_logs() as lines:
        logger.warning("Heartbeat failed for group %s because it is rebalancing", "g")
        logger.info("Revoking previously assigned partitions %s for group %s", set(), "g")
    assert [line["event"] for line in lines] == ["kafka.client"]
    assert link.up


def test_a_failure_answered_within_the_grace_is_not_an_outage(
    aiokafka_logger: tuple[logging.Logger, KafkaLink, Clock],
) -> None:
    logger, link, clock = aiokafka_logger
    with capture_logs() as lines:
        for tick in range(10):  # a coordinator loading after a restart, for a second
            clock.now = tick / 10
            logger.error("Group Coordinator Request failed: %s", "NotAvailable")
        logger.info("Discovered coordinator %s for group %s", 1, "g")
    assert lines == []
    assert link.up


def test_our_own_success_ends_the_outage(
    aiokafka_logger: tuple[logging.Logger, KafkaLink, Clock],
) -> None:
    logger, link, clock = aiokafka_logger
    with capture_logs() as lines:
        logger.warning("Marking the coordinator dead (node %s)for group %s.", 1, "g")
        clock.now = 3.0
        logger.warning("Marking the coordinator dead (node %s)for group %s.", 1, "g")
        assert not link.up
        link.answered()
        link.answered()
    assert [line["event"] for line in lines] == ["kafka.unreachable", "kafka.reachable_again"]
