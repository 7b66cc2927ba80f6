from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmh.notifications.domain.activity import LearningActivity

START = datetime(2026, 3, 1, 9, tzinfo=UTC)
WEEK = timedelta(days=7)


def test_a_learner_quiet_for_a_week_is_reminded_once_per_quiet_spell() -> None:
    activity = LearningActivity("ada", "c1", START)
    assert not activity.due_for_reminder(START + WEEK - timedelta(seconds=1), WEEK)
    assert activity.due_for_reminder(START + WEEK, WEEK)
    first = activity.spell
    activity.reminded()
    assert not activity.due_for_reminder(START + 3 * WEEK, WEEK)
    activity.touch(START + 2 * WEEK)
    assert activity.due_for_reminder(START + 3 * WEEK, WEEK)
    assert activity.spell != first


def test_late_events_never_move_activity_back_and_a_completed_course_is_left_alone() -> None:
    activity = LearningActivity("ada", "c1", START + WEEK)
    activity.touch(START)
    assert activity.last_active_at == START + WEEK
    activity.complete(START + WEEK + timedelta(hours=1))
    assert not activity.due_for_reminder(START + 10 * WEEK, WEEK)
