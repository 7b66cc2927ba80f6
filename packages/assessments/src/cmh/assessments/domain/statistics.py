"""Item statistics of a quiz, from its graded attempts (classical test theory):

- difficulty: the share of attempts that answered the item correctly (p-value);
- discrimination: how much better the top 27 % of attempts (by total score) did on the
  item than the bottom 27 % (upper-lower index, -1 to 1); None with fewer than 4
  attempts that saw the item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cmh.assessments.domain.grading import Grade

GROUP_SHARE = 0.27


@dataclass(frozen=True)
class ItemStatistics:
    question_id: str
    attempts: int
    difficulty: float | None
    discrimination: float | None


def item_statistics(question_ids: Sequence[str], grades: Sequence[Grade]) -> list[ItemStatistics]:
    found = []
    for question_id in question_ids:
        seen = [
            (g.score, o.correct) for g in grades for o in g.outcomes if o.question_id == question_id
        ]
        if not seen:
            found.append(ItemStatistics(question_id, 0, None, None))
            continue
        difficulty = sum(correct for _, correct in seen) / len(seen)
        discrimination = None
        if len(seen) >= 4:
            ranked = sorted(seen, key=lambda s: s[0])
            size = max(1, round(len(ranked) * GROUP_SHARE))
            low = sum(c for _, c in ranked[:size]) / size
            high = sum(c for _, c in ranked[-size:]) / size
            discrimination = round(high - low, 4)
        found.append(ItemStatistics(question_id, len(seen), round(difficulty, 4), discrimination))
    return found
