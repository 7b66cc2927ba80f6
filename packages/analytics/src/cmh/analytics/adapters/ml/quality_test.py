"""Offline quality of the recommendations on the generated data set with planted
structure (``cmh_testing.analytics.generator``: documented, fixed seed, held-out split):
precision@5 and recall@10 must beat a popularity baseline by at least 20% relative.
Both figures are printed (``pytest -s``)."""

from __future__ import annotations

from collections import Counter

from cmh.analytics.adapters.ml.item_item import NumpyItemItemFilter
from cmh.analytics.domain.recommendations import CourseInfo, Learner, recommend
from cmh_testing.analytics.generator import DataSet, generate

MIN_LIFT = 1.2


def _metrics(data: DataSet, ranked: dict[str, list[str]]) -> tuple[float, float]:
    precision = recall = 0.0
    for learner, held in data.held_out.items():
        top = ranked[learner]
        precision += len(set(top[:5]) & held) / 5
        recall += len(set(top[:10]) & held) / len(held)
    return precision / len(data.held_out), recall / len(data.held_out)


def test_recommendations_beat_popularity_on_held_out_courses() -> None:
    data = generate()
    popularity = Counter(c for basket in data.train.values() for c in basket)
    catalog = {c: CourseInfo(c, c) for c in data.courses}  # no tags: behaviour alone
    model = NumpyItemItemFilter()
    ours: dict[str, list[str]] = {}
    baseline: dict[str, list[str]] = {}
    for learner, basket in data.train.items():
        taken = frozenset(basket)
        items = recommend(
            Learner(taken=taken, finished=frozenset(c for c, w in basket.items() if w > 1)),
            courses=catalog,
            neighbours=model.neighbours(data.train, learner),
            popularity=popularity,
            limit=10,
        )
        assert all(item.reasons for item in items)
        ours[learner] = [item.course_id for item in items]
        baseline[learner] = [
            c
            for c, _ in sorted(popularity.items(), key=lambda kv: (-kv[1], kv[0]))
            if c not in taken
        ][:10]
    p5, r10 = _metrics(data, ours)
    base_p5, base_r10 = _metrics(data, baseline)
    print(
        f"\nprecision@5 {p5:.3f} vs popularity {base_p5:.3f} ({p5 / base_p5:.2f}x); "
        f"recall@10 {r10:.3f} vs popularity {base_r10:.3f} ({r10 / base_r10:.2f}x)"
    )
    assert p5 >= MIN_LIFT * base_p5
    assert r10 >= MIN_LIFT * base_r10


def test_the_generator_is_reproducible() -> None:
    assert generate(7) == generate(7)
    assert generate(7) != generate(8)
