from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from cmh.contracts.events.labs import LabSessionEndedV1, LabStatusChangedV1
from cmh.labs.application.integration_events import EXPIRY_WARNING, to_contracts
from cmh.labs.domain.events import ExpiryWarned, SessionEnded, TemplateCreated

AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def test_a_session_end_carries_whole_seconds_and_an_exact_cost() -> None:
    mapped = to_contracts(
        SessionEnded(
            "s-1",
            "u-1",
            "t-1",
            "c-1",
            timedelta(minutes=42, seconds=7),
            Decimal("1.25"),
            ("a", "b"),
            "completed",
            "ended by the learner",
            AT,
        )
    )
    assert mapped == (
        LabSessionEndedV1(
            session_id="s-1",
            user_id="u-1",
            template_id="t-1",
            course_id="c-1",
            duration_seconds=42 * 60 + 7,
            cost_usd="1.25",
            tasks_passed=["a", "b"],
            outcome="completed",
            reason="ended by the learner",
            ended_at=AT,
        ),
        "s-1",
    )


def test_an_expiry_warning_is_a_ready_to_ready_change_with_the_expiry() -> None:
    expires = AT + timedelta(minutes=10)
    mapped = to_contracts(ExpiryWarned("s-1", "u-1", "t-1", expires, AT))
    assert mapped is not None
    event, subject = mapped
    assert isinstance(event, LabStatusChangedV1)
    assert (event.from_status, event.to_status, event.reason, event.expires_at, subject) == (
        "ready",
        "ready",
        EXPIRY_WARNING,
        expires,
        "s-1",
    )


def test_template_authoring_stays_inside_labs() -> None:
    assert to_contracts(TemplateCreated("t-1", "teacher", "aws", AT)) is None
