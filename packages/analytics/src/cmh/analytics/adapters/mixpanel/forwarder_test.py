"""The Mixpanel adapter (official SDK) against a local fake of Mixpanel's ingestion API:
batched by 50, retried, deduplicable, and pseudonymous."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cmh.analytics.adapters.mixpanel.forwarder import MixpanelProductAnalytics
from cmh.analytics.adapters.mixpanel.settings import MixpanelSettings
from cmh.analytics.application.forward_event import ForwardEvent
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact
from cmh_testing.analytics import FakeMixpanel
from cmh_testing.analytics.events import T0


@pytest.fixture
def fake() -> Iterator[FakeMixpanel]:
    server = FakeMixpanel().start()
    yield server
    server.stop()


def forwarder(fake: FakeMixpanel) -> MixpanelProductAnalytics:
    return MixpanelProductAnalytics(
        MixpanelSettings(token="project-token", events_url=fake.url, pseudonym_key="k", attempts=3)
    )


def lesson(n: int, user: str = "ann@example.com") -> Fact:
    return Fact(
        f"ev-{n}",
        k.LESSON_COMPLETED,
        T0,
        user,
        "c-aws",
        f"l{n}",
        attrs={"email": "ann@example.com", "display_name": "Ann"},
    )


async def test_events_go_in_batches_of_fifty_with_their_insert_id(fake: FakeMixpanel) -> None:
    mixpanel = forwarder(fake)
    forward = ForwardEvent(mixpanel)
    for n in range(120):
        await forward.execute(lesson(n))
    await mixpanel.flush()
    assert [len(b) for b in fake.batches] == [50, 50, 20]
    assert [e["properties"]["$insert_id"] for e in fake.events] == [f"ev-{n}" for n in range(120)]
    first = fake.events[0]
    assert first["event"] == "lesson.completed"
    assert first["properties"]["token"] == "project-token"
    assert first["properties"]["course_id"] == "c-aws"


async def test_nothing_personal_leaves(fake: FakeMixpanel) -> None:
    mixpanel = forwarder(fake)
    await ForwardEvent(mixpanel).execute(lesson(1))
    await mixpanel.flush()
    sent = str(fake.events)
    assert "ann@example.com" not in sent
    assert "Ann" not in sent
    assert fake.events[0]["properties"]["distinct_id"] == mixpanel.pseudonym("ann@example.com")


async def test_a_failing_batch_is_retried(fake: FakeMixpanel) -> None:
    fake.fail_next = 2
    mixpanel = forwarder(fake)
    await ForwardEvent(mixpanel).execute(lesson(1))
    await mixpanel.flush()
    assert [e["properties"]["$insert_id"] for e in fake.events] == ["ev-1"]


async def test_bookkeeping_events_are_not_forwarded(fake: FakeMixpanel) -> None:
    mixpanel = forwarder(fake)
    await ForwardEvent(mixpanel).execute(Fact("p", k.COURSE_PUBLISHED, T0, "", "c-aws"))
    await mixpanel.flush()
    assert fake.events == []
