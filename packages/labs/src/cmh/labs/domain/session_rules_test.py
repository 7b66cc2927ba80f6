"""The state machine's rules hold over random sequences of requests, legal or not.

Most steps are drawn from what the current status allows (moving on more often than
stopping), so sequences reach ready, extensions, validation, quarantine and both ends;
the others are drawn from every request, so refusals are exercised everywhere too.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import event, given, settings
from hypothesis import strategies as st

from cmh.kernel.errors import DomainError
from cmh.labs.domain.checks import BucketCheck, Grade, TaskResult
from cmh.labs.domain.events import SessionEnded, StatusChanged
from cmh.labs.domain.session import EDGES, TERMINAL, LabSession, SessionStatus
from cmh.labs.domain.template import CloudProvider, LabTemplate, Level, TaskSpec

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TEMPLATE = LabTemplate.create(
    "t-1",
    owner_id="teacher",
    title="S3 basics",
    provider=CloudProvider.AWS,
    level=Level.BEGINNER,
    allowed_regions=("eu-west-1",),
    allowed_services=("s3",),
    tasks=(TaskSpec("logs", "Logs bucket", "Create logs-...", 10, BucketCheck("logs-")),),
    time_limit=timedelta(hours=1),
    max_extension=timedelta(minutes=30),
    budget_cap_usd=Decimal("2.00"),
    now=T0,
)
S = SessionStatus
Step = Callable[[LabSession, datetime], object]

minutes = st.integers(min_value=-30, max_value=120).map(lambda m: timedelta(minutes=m))
grades = st.booleans().map(
    lambda ok: Grade((TaskResult("logs", "Logs bucket", ok, 10, None),), 10 if ok else 0, 10)
)
STEPS: dict[str, st.SearchStrategy[Step]] = {
    "provision": st.just(lambda s, now: s.start_provisioning(now)),
    "ready": minutes.map(lambda limit: lambda s, now: s.mark_ready(now, limit)),
    "extend": st.tuples(minutes, minutes).map(lambda a: lambda s, now: s.extend(a[0], now, a[1])),
    "validate": grades.map(lambda g: lambda s, now: s.record_validation(g, now)),
    "cost": st.decimals(0, "2.2", places=3).map(lambda c: lambda s, now: s.accrue_cost(c, now)),
    "warn": st.just(lambda s, now: s.warn_expiry(now)),
    "expire": st.sampled_from(["time_limit", "forced"]).map(
        lambda r: lambda s, now: s.expire(now, r)
    ),
    "end": st.just(lambda s, now: s.end_by_learner(now)),
    "fail": st.booleans().map(lambda b: lambda s, now: s.fail(now, "boom", by_learner=b)),
    "teardown": st.just(lambda s, now: s.begin_teardown(now)),
    "finish": st.integers(-1, 3).map(lambda n: lambda s, now: s.finish_teardown(n, now)),
}
LIKELY: dict[SessionStatus, list[str]] = {
    S.REQUESTED: ["provision"] * 4 + ["end", "fail", "cost"],
    S.PROVISIONING: ["ready"] * 4 + ["end", "fail", "cost"],
    S.READY: ["extend", "extend", "validate", "validate", "cost", "warn", "expire", "end"],
    S.EXPIRING: ["teardown", "cost"],
    S.TEARING_DOWN: ["finish", "finish", "cost"],
    S.QUARANTINED: ["teardown", "cost"],
    S.ENDED: list(STEPS),
    S.FAILED: list(STEPS),
}


def ends(session: LabSession) -> list[SessionEnded]:
    return [event for event in session.events if isinstance(event, SessionEnded)]


def snapshot(session: LabSession) -> tuple[SessionStatus, int, Decimal, int]:
    return (session.status, len(session.history), session.cost_usd, len(session.events))


@settings(max_examples=400)
@given(st.data())
def test_any_sequence_keeps_the_rules(data: st.DataObject) -> None:
    session = LabSession.request(
        "s-1", user_id="u-1", template=TEMPLATE, region="eu-west-1", now=T0
    )
    now = T0
    for _ in range(data.draw(st.integers(0, 40), label="length")):
        # The clock may run backwards (another worker's), as it can in production.
        now += data.draw(minutes, label="elapsed")
        likely = data.draw(st.integers(0, 4), label="likely") > 0
        name = data.draw(st.sampled_from(LIKELY[session.status] if likely else list(STEPS)))
        step = data.draw(STEPS[name], label=name)
        before = snapshot(session)
        try:
            step(session, now)
        except DomainError:
            assert snapshot(session) == before, "a refused request changes nothing"
        status, history_length, cost, _ = before

        if status in TERMINAL:
            assert (session.status, len(session.history)) == (status, history_length)
        assert session.cost_usd >= cost

        assert all(t.to_status in EDGES[t.from_status] for t in session.history)
        assert all(a.to_status is b.from_status for a, b in pairwise(session.history))
        assert all(a.at <= b.at for a, b in pairwise(session.history))
        if session.history:
            assert session.history[0].from_status is S.REQUESTED
            assert session.history[-1].to_status is session.status
        changes = [e for e in session.events if isinstance(e, StatusChanged)]
        assert len(changes) == len(session.history)
        assert len(ends(session)) == (1 if session.status in TERMINAL else 0)
    # Reach, shown by pytest --hypothesis-show-statistics.
    for status in {t.to_status for t in session.history}:
        event(f"reached {status}")
