from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from cmh.labs.domain.checks import BucketCheck, Grade, TaskResult
from cmh.labs.domain.errors import (
    AlreadyRunning,
    ExtensionNotAllowed,
    IllegalTransition,
    InvalidSession,
    SessionOver,
)
from cmh.labs.domain.events import (
    ExpiryWarned,
    SessionEnded,
    SessionRequested,
    StatusChanged,
    TaskValidated,
)
from cmh.labs.domain.session import (
    EDGES,
    LabSession,
    Outcome,
    SessionStatus,
    Transition,
    ensure_none_running,
)
from cmh.labs.domain.template import CloudProvider, LabTemplate, Level, TaskSpec

T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)
S = SessionStatus

TEMPLATE = LabTemplate.create(
    "t-1",
    owner_id="teacher",
    title="S3 basics",
    provider=CloudProvider.AWS,
    level=Level.BEGINNER,
    allowed_regions=("eu-west-1",),
    allowed_services=("s3",),
    tasks=(TaskSpec("logs", "Logs bucket", "Create logs-...", 10, BucketCheck("logs-")),),
    time_limit=HOUR,
    max_extension=timedelta(minutes=30),
    budget_cap_usd=Decimal("1.00"),
    now=T0,
)


def graded(*passed: bool) -> Grade:
    results = tuple(
        TaskResult(f"t{i}", f"Task {i}", ok, 10, None if ok else "hint")
        for i, ok in enumerate(passed)
    )
    return Grade(results, sum(r.points for r in results if r.passed), 10 * len(results))


def requested() -> LabSession:
    return LabSession.request(
        "s-1",
        user_id="u-1",
        template=TEMPLATE,
        region="eu-west-1",
        now=T0,
        course_id="c-1",
        lesson_id="l-1",
    )


def ready() -> LabSession:
    session = requested()
    session.start_provisioning(T0)
    session.mark_ready(T0 + timedelta(minutes=2), HOUR)
    return session


def ended_events(session: LabSession) -> list[SessionEnded]:
    return [event for event in session.events if isinstance(event, SessionEnded)]


def test_a_request_records_who_wants_which_lab_where() -> None:
    session = requested()
    assert (session.status, session.provider, session.budget_cap_usd) == (
        S.REQUESTED,
        CloudProvider.AWS,
        Decimal("1.00"),
    )
    assert session.events == [
        SessionRequested("s-1", "u-1", "t-1", "c-1", "l-1", "aws", "eu-west-1", T0)
    ]


def test_a_request_stays_in_the_template_regions() -> None:
    with pytest.raises(InvalidSession) as raised:
        LabSession.request("s-1", user_id="u-1", template=TEMPLATE, region="us-east-1", now=T0)
    assert raised.value.field == "region"


def test_the_full_path_records_every_transition_and_one_end() -> None:
    session = ready()
    assert session.expires_at == T0 + timedelta(minutes=2) + HOUR
    session.record_validation(graded(True, False), T0 + timedelta(minutes=20))
    session.end_by_learner(T0 + timedelta(minutes=32))
    session.finish_teardown(0, T0 + timedelta(minutes=35))

    assert session.status is S.ENDED
    assert [(t.from_status, t.to_status) for t in session.history] == [
        (S.REQUESTED, S.PROVISIONING),
        (S.PROVISIONING, S.READY),
        (S.READY, S.TEARING_DOWN),
        (S.TEARING_DOWN, S.ENDED),
    ]
    assert session.history[-1] == Transition(
        S.TEARING_DOWN, S.ENDED, "teardown verified", T0 + timedelta(minutes=35)
    )
    changes = [e for e in session.events if isinstance(e, StatusChanged)]
    assert [(e.from_status, e.to_status) for e in changes] == [
        (str(t.from_status), str(t.to_status)) for t in session.history
    ]
    assert ended_events(session) == [
        SessionEnded(
            session_id="s-1",
            user_id="u-1",
            template_id="t-1",
            course_id="c-1",
            duration=timedelta(minutes=30),
            cost_usd=Decimal("0.00"),
            tasks_passed=("t0",),
            outcome="ended_by_learner",
            reason="ended by the learner",
            at=T0 + timedelta(minutes=35),
        )
    ]


def test_every_task_passed_makes_the_outcome_completed() -> None:
    session = ready()
    session.record_validation(graded(True), T0 + timedelta(minutes=10))
    session.expire(T0 + timedelta(minutes=62), "time_limit")
    session.begin_teardown(T0 + timedelta(minutes=62))
    session.finish_teardown(0, T0 + timedelta(minutes=63))
    (ended,) = ended_events(session)
    assert (ended.outcome, ended.reason, ended.duration) == ("completed", "time_limit", HOUR)


def test_validation_keeps_the_best_grade_and_records_each_run() -> None:
    session = ready()
    session.record_validation(graded(True, True), T0 + timedelta(minutes=10))
    session.record_validation(graded(True, False), T0 + timedelta(minutes=11))
    assert session.tasks_passed == ("t0", "t1")
    runs = [e for e in session.events if isinstance(e, TaskValidated)]
    assert [(e.passed_task_ids, e.score, e.max_score) for e in runs] == [
        (("t0", "t1"), 20, 20),
        (("t0",), 10, 20),
    ]


def test_a_learner_is_warned_once_inside_the_window_before_expiry() -> None:
    session = ready()
    expires = T0 + timedelta(minutes=62)
    assert not session.warn_due(expires - timedelta(minutes=11))
    assert session.warn_due(expires - timedelta(minutes=10))
    session.warn_expiry(expires - timedelta(minutes=5))
    assert session.events[-1] == ExpiryWarned(
        "s-1", "u-1", "t-1", expires, expires - timedelta(minutes=5)
    )
    assert not session.warn_due(expires - timedelta(minutes=4))
    with pytest.raises(IllegalTransition):
        session.warn_expiry(expires - timedelta(minutes=4))
    assert not session.due_for_expiry(expires - timedelta(seconds=1))
    assert session.due_for_expiry(expires)
    assert not session.warn_due(expires)


def test_an_extension_moves_the_expiry_within_the_template_limit_and_warns_again() -> None:
    session = ready()
    expires = T0 + timedelta(minutes=62)
    session.warn_expiry(expires - timedelta(minutes=5))
    session.extend(timedelta(minutes=20), expires - timedelta(minutes=4), timedelta(minutes=30))
    assert (session.status, session.expires_at, session.extended_by) == (
        S.READY,
        expires + timedelta(minutes=20),
        timedelta(minutes=20),
    )
    assert session.history[-1].from_status is session.history[-1].to_status is S.READY
    assert session.warn_due(expires + timedelta(minutes=15))
    with pytest.raises(ExtensionNotAllowed):
        session.extend(timedelta(minutes=11), expires, timedelta(minutes=30))
    session.extend(timedelta(minutes=10), expires, timedelta(minutes=30))
    assert session.extended_by == timedelta(minutes=30)


@pytest.mark.parametrize("by", [timedelta(0), timedelta(minutes=-5)])
def test_an_extension_is_positive(by: timedelta) -> None:
    with pytest.raises(ExtensionNotAllowed):
        ready().extend(by, T0 + timedelta(minutes=10), HOUR)


def test_an_expired_or_unready_session_cannot_be_extended() -> None:
    with pytest.raises(ExtensionNotAllowed):
        ready().extend(timedelta(minutes=5), T0 + timedelta(minutes=62), HOUR)
    with pytest.raises(ExtensionNotAllowed):
        requested().extend(timedelta(minutes=5), T0, HOUR)


def test_crossing_the_budget_cap_begins_expiring() -> None:
    session = ready()
    assert session.accrue_cost(Decimal("0.404"), T0 + timedelta(minutes=10)) is False
    assert session.cost_usd == Decimal("0.40")
    assert session.accrue_cost(Decimal("0.30"), T0 + timedelta(minutes=11)) is False
    assert session.cost_usd == Decimal("0.40")
    assert session.accrue_cost(Decimal("1.00"), T0 + timedelta(minutes=12)) is True
    assert (session.status, session.outcome, session.reason) == (
        S.EXPIRING,
        Outcome.EXPIRED,
        "budget_cap",
    )
    assert session.accrue_cost(Decimal("1.10"), T0 + timedelta(minutes=13)) is False
    assert session.cost_usd == Decimal("1.10")


def test_crossing_the_budget_cap_while_provisioning_fails_the_session() -> None:
    session = requested()
    session.start_provisioning(T0)
    assert session.accrue_cost(Decimal("5"), T0 + timedelta(minutes=1)) is True
    assert (session.status, session.outcome) == (S.TEARING_DOWN, Outcome.FAILED_PLATFORM)


def test_a_failure_tears_down_first_then_fails() -> None:
    session = requested()
    session.start_provisioning(T0)
    session.fail(T0 + timedelta(minutes=1), "quota exceeded", by_learner=False)
    assert session.status is S.TEARING_DOWN
    assert ended_events(session) == []
    session.finish_teardown(0, T0 + timedelta(minutes=2))
    (ended,) = ended_events(session)
    assert (session.status, ended.outcome, ended.reason, ended.duration) == (
        S.FAILED,
        "failed_platform",
        "quota exceeded",
        timedelta(0),
    )


def test_a_failure_the_learner_caused_says_so() -> None:
    session = requested()
    session.fail(T0, "invalid key pair", by_learner=True)
    session.finish_teardown(0, T0)
    assert ended_events(session)[0].outcome == "failed_learner"


def test_leftovers_quarantine_the_session_until_a_clean_teardown() -> None:
    session = ready()
    session.end_by_learner(T0 + HOUR)
    session.finish_teardown(2, T0 + HOUR)
    assert session.status is S.QUARANTINED
    assert ended_events(session) == []
    session.accrue_cost(Decimal("0.20"), T0 + 2 * HOUR)
    session.begin_teardown(T0 + 2 * HOUR)
    assert session.history[-1].reason == "teardown retried"
    session.finish_teardown(0, T0 + 2 * HOUR)
    (ended,) = ended_events(session)
    assert (session.status, ended.cost_usd, ended.outcome) == (
        S.ENDED,
        Decimal("0.20"),
        "ended_by_learner",
    )


def test_an_ended_session_changes_no_more() -> None:
    session = requested()
    session.end_by_learner(T0)
    session.finish_teardown(0, T0)
    with pytest.raises(SessionOver):
        session.accrue_cost(Decimal("1"), T0)
    attempts: list[Callable[[], object]] = [
        lambda: session.begin_teardown(T0),
        lambda: session.finish_teardown(0, T0),
        lambda: session.end_by_learner(T0),
    ]
    for attempt in attempts:
        with pytest.raises(IllegalTransition):
            attempt()
    assert len(ended_events(session)) == 1


@pytest.mark.parametrize(
    "step",
    [
        lambda s: s.mark_ready(T0, HOUR),
        lambda s: s.begin_teardown(T0),
        lambda s: s.finish_teardown(0, T0),
        lambda s: s.expire(T0, "time_limit"),
        lambda s: s.record_validation(graded(True), T0),
    ],
)
def test_a_requested_session_refuses_what_its_status_does_not_allow(
    step: Callable[[LabSession], object],
) -> None:
    session = requested()
    with pytest.raises(IllegalTransition):
        step(session)
    assert (session.status, session.history) == (S.REQUESTED, [])


def test_a_ready_session_cannot_fail_it_is_stopped_instead() -> None:
    with pytest.raises(IllegalTransition):
        ready().fail(T0, "boom")


def test_negative_leftovers_are_refused() -> None:
    session = requested()
    session.end_by_learner(T0)
    with pytest.raises(InvalidSession):
        session.finish_teardown(-1, T0)


def test_a_late_clock_does_not_reorder_history() -> None:
    session = requested()
    session.start_provisioning(T0 + HOUR)
    session.mark_ready(T0, HOUR)
    assert session.history[-1].at == T0 + HOUR
    assert session.expires_at == T0 + 2 * HOUR


def test_terminal_statuses_have_no_way_out() -> None:
    assert EDGES[S.ENDED] == EDGES[S.FAILED] == frozenset()
    assert all(EDGES[status] for status in S if status not in (S.ENDED, S.FAILED))


def test_a_learner_runs_one_session_of_a_template_at_a_time() -> None:
    live = requested()
    with pytest.raises(AlreadyRunning):
        ensure_none_running([live], user_id="u-1", template_id="t-1")
    ensure_none_running([live], user_id="u-2", template_id="t-1")
    ensure_none_running([live], user_id="u-1", template_id="t-2")
    live.end_by_learner(T0)
    with pytest.raises(AlreadyRunning):
        ensure_none_running([live], user_id="u-1", template_id="t-1")
    live.finish_teardown(0, T0)
    ensure_none_running([live], user_id="u-1", template_id="t-1")
