from __future__ import annotations

from datetime import UTC, datetime

from cmh.analytics.consumers import subscriptions
from cmh.analytics.consumers.facts import EXTRACTORS, fact_id
from cmh.contracts.events.courses import LEARNING_TOPIC
from cmh_testing.analytics.events import every_event, progress

NOW = datetime(2026, 3, 3, tzinfo=UTC)


def test_the_samples_cover_every_ingested_event_type() -> None:
    assert {type(e) for e in every_event()} == set(EXTRACTORS)


def test_every_ingested_type_has_a_fact_subscription_on_its_topic() -> None:
    wanted = {
        (s.topic, t)
        for s in subscriptions()
        if s.consumer.startswith("analytics.facts.")
        for t in s.event_types
    }
    assert wanted == {(e.TOPIC, e.TYPE) for e in EXTRACTORS}


def test_the_same_event_is_the_same_fact_and_a_timeless_one_takes_its_arrival() -> None:
    event = progress("ann", "c1", 50, 1, 2)
    fact = EXTRACTORS[type(event)](event, NOW)
    assert (
        fact.event_id
        == fact_id(progress("ann", "c1", 50, 1, 2))
        != fact_id(progress("ann", "c1", 60, 1, 2))
    )
    assert (fact.occurred_at, fact.value, fact.kind) == (NOW, 50.0, "progress.updated")
    assert event.TOPIC == LEARNING_TOPIC
