from __future__ import annotations

from cmh.assessments.domain.grading import Grade, QuestionOutcome
from cmh.assessments.domain.statistics import item_statistics


def graded(score: int, right: dict[str, bool]) -> Grade:
    outcomes = tuple(QuestionOutcome(q, int(ok), 1) for q, ok in right.items())
    return Grade(score, len(right), 0, False, (), outcomes)


def test_difficulty_and_discrimination() -> None:
    grades = [
        graded(3, {"easy": True, "sharp": True, "noise": True}),
        graded(3, {"easy": True, "sharp": True, "noise": True}),
        graded(1, {"easy": True, "sharp": False, "noise": False}),
        graded(0, {"easy": False, "sharp": False, "noise": False}),
    ]
    stats = {s.question_id: s for s in item_statistics(["easy", "sharp", "unseen"], grades)}
    assert stats["easy"].difficulty == 0.75
    assert stats["sharp"].difficulty == 0.5
    assert stats["sharp"].discrimination == 1.0
    assert stats["unseen"].attempts == 0
    assert stats["unseen"].difficulty is None
    few = item_statistics(["easy"], grades[:3])
    assert few[0].discrimination is None
