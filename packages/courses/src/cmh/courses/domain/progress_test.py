from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.courses.domain.course import CourseOutline
from cmh.courses.domain.errors import InvalidCourseData, LessonKindMismatch, LessonNotFound
from cmh.courses.domain.progress import CourseProgress
from cmh.courses.domain.values import LessonKind

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def outline(kinds: dict[str, LessonKind], counted: set[str] | None = None) -> CourseOutline:
    return CourseOutline(kinds=kinds, counted=frozenset(counted if counted is not None else kinds))


def fresh() -> CourseProgress:
    return CourseProgress.start(user_id="u", course_id="c", now=NOW)


lesson_kinds = st.sampled_from([LessonKind.VIDEO, LessonKind.TEXT, LessonKind.LAB])
outlines = st.dictionaries(
    st.text("abcdef", min_size=1, max_size=3), lesson_kinds, min_size=1, max_size=8
)


@given(kinds=outlines, data=st.data())
def test_percentage_follows_counted_lessons_and_completion_happens_once(
    kinds: dict[str, LessonKind], data: st.DataObject
) -> None:
    counted = data.draw(st.sets(st.sampled_from(sorted(kinds)), min_size=1))
    plan = outline(kinds, counted)
    steps = data.draw(st.lists(st.sampled_from(sorted(kinds)), max_size=20))
    progress = fresh()
    completions = 0
    last = 0
    for lesson_id in steps:
        outcome = progress.complete_lesson(lesson_id, plan, now=NOW)
        completions += outcome.course_completed
        current = progress.percentage(plan)
        assert current >= last
        assert 0 <= current <= 100
        assert (current == 100) == counted.issubset(progress.completed)
        last = current
    done = counted.issubset(steps)
    assert completions == (1 if done else 0)
    assert (progress.completed_at is not None) == done
    assert progress.percentage(plan) == 100 * len(counted & set(steps)) // len(counted)


@given(kinds=outlines)
def test_completing_again_changes_nothing(kinds: dict[str, LessonKind]) -> None:
    plan = outline(kinds)
    progress = fresh()
    for lesson_id in kinds:
        progress.complete_lesson(lesson_id, plan, now=NOW)
    again = [progress.complete_lesson(lesson_id, plan, now=NOW) for lesson_id in kinds]
    assert not any(o.newly_completed or o.course_completed for o in again)
    assert progress.percentage(plan) == 100


def test_quiz_lessons_complete_only_through_an_assessment() -> None:
    plan = outline({"v": LessonKind.VIDEO, "q": LessonKind.QUIZ})
    progress = fresh()
    with pytest.raises(LessonKindMismatch):
        progress.complete_lesson("q", plan, now=NOW)
    progress.complete_lesson("v", plan, now=NOW)
    with pytest.raises(LessonKindMismatch):
        progress.record_quiz_passed("v", plan, now=NOW)
    outcome = progress.record_quiz_passed("q", plan, now=NOW)
    assert outcome.course_completed
    assert progress.completed_at == NOW


def test_resume_position_is_for_video_lessons_within_bounds() -> None:
    plan = outline({"v": LessonKind.VIDEO, "t": LessonKind.TEXT})
    progress = fresh()
    progress.save_position("v", 95, plan, now=NOW)
    assert progress.positions == {"v": 95}
    with pytest.raises(LessonKindMismatch):
        progress.save_position("t", 5, plan, now=NOW)
    with pytest.raises(InvalidCourseData):
        progress.save_position("v", -1, plan, now=NOW)
    with pytest.raises(LessonNotFound):
        progress.save_position("x", 1, plan, now=NOW)


def test_optional_lessons_do_not_hold_completion_back() -> None:
    plan = outline({"a": LessonKind.TEXT, "b": LessonKind.TEXT}, counted={"a"})
    progress = fresh()
    assert progress.complete_lesson("a", plan, now=NOW).course_completed
    assert not progress.complete_lesson("b", plan, now=NOW).course_completed
