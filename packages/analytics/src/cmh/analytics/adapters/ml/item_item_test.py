"""The trained model is swapped in whole, with its version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmh.analytics.adapters.ml.item_item import NumpyItemItemFilter
from cmh.analytics.application.ports import CollaborativeFilter
from cmh.analytics.domain.model import ModelVersion

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_the_swap_replaces_the_whole_model_at_once() -> None:
    model: CollaborativeFilter = NumpyItemItemFilter()
    before = {"ann": {"c1": 1.0}, "bob": {"c1": 1.0, "c2": 1.0}}
    assert model.current() is None
    assert set(model.neighbours(before, "ann")) == {"c2"}  # computed on the fly
    v1 = ModelVersion(version=1, trained_at=T0, facts=3, learners=2, courses=2)
    model.train(before, v1)
    assert model.current() == v1
    # Baskets that changed since the training are scored with the trained model...
    after = {**before, "cy": {"c1": 1.0, "c3": 2.0}}
    assert set(model.neighbours(after, "ann")) == {"c2"}
    v2 = ModelVersion(version=2, trained_at=T0 + timedelta(hours=1), facts=5, learners=3, courses=3)
    model.train(after, v2)
    # ...until the next model is swapped in, with its version.
    assert model.current() == v2
    assert set(model.neighbours(after, "ann")) == {"c2", "c3"}
