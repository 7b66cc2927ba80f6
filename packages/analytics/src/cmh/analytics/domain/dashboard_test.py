from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cmh.analytics.domain import facts as k
from cmh.analytics.domain.dashboard import active_minutes, learner_stats, streaks
from cmh.analytics.domain.facts import Fact

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_streaks_count_consecutive_days_and_the_current_run_ends_today_or_yesterday() -> None:
    days = [date(2026, 3, d) for d in (1, 2, 3, 5, 6)]
    assert streaks(days, date(2026, 3, 6)) == (2, 3)
    assert streaks(days, date(2026, 3, 7)) == (2, 3)
    assert streaks(days, date(2026, 3, 8)) == (0, 3)
    assert streaks([], date(2026, 3, 8)) == (0, 0)


def test_active_time_counts_gaps_under_half_an_hour_only() -> None:
    moments = [T0, T0 + timedelta(minutes=10), T0 + timedelta(minutes=25), T0 + timedelta(hours=3)]
    assert active_minutes(reversed(moments)) == 25


def test_a_learners_dashboard_from_their_facts() -> None:
    facts = [
        Fact("a", k.ENROLLED, T0, "ann", "c1"),
        Fact("b", k.LESSON_COMPLETED, T0 + timedelta(minutes=20), "ann", "c1", "l1"),
        Fact("c", k.PROGRESS, T0 + timedelta(minutes=20), "ann", "c1", value=50),
        Fact("d", k.PROGRESS, T0 + timedelta(minutes=21), "ann", "c1", value=25),  # older, late
        Fact(
            "e",
            k.LAB_ENDED,
            T0 + timedelta(days=1),
            "ann",
            "c1",
            value=5400,
            attrs={"cost_usd": "0.75", "template_id": "t"},
        ),
        Fact(
            "f",
            k.ATTEMPT_GRADED,
            T0 + timedelta(days=1),
            "ann",
            "c1",
            value=80,
            attrs={"skills": [{"skill": "s3", "earned": 4, "possible": 5}]},
        ),
        Fact("g", k.CERTIFICATE_ISSUED, T0 + timedelta(days=1), "ann", "c1", subject="cert-1"),
        Fact("h", k.CERTIFICATE_ISSUED, T0 + timedelta(days=1), "ann", "c2", subject="cert-2"),
        Fact("i", k.CERTIFICATE_REVOKED, T0 + timedelta(days=2), "ann", "c2", subject="cert-2"),
        Fact("j", k.ENROLLED, T0, "bob", "c1"),
    ]
    stats = learner_stats("ann", facts, {"c1": "AWS"}, date(2026, 3, 3))
    assert stats.courses[0].title == "AWS"
    assert (stats.courses[0].percentage, stats.courses[0].completed_lessons) == (50, 1)
    assert stats.time_spent_minutes == 21 + 90
    assert (stats.current_streak_days, stats.longest_streak_days) == (2, 2)
    assert (stats.lab_hours, stats.lab_cost_usd, stats.lab_sessions) == (1.5, "0.75", 1)
    assert stats.quiz_average_percent == 80.0
    assert [(s.skill, s.percent) for s in stats.skills] == [("s3", 80.0)]
    assert [c.certificate_id for c in stats.certificates] == ["cert-1"]
