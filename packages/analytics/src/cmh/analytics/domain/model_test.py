from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmh.analytics.domain.model import ModelVersion, RetrainPolicy, should_retrain

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
POLICY = RetrainPolicy(min_new_facts=100, max_age=timedelta(hours=1))
TRAINED = ModelVersion(version=3, trained_at=T0, facts=1000, learners=10, courses=5)


def test_a_first_model_as_soon_as_there_are_facts() -> None:
    assert not should_retrain(None, 0, T0, POLICY)
    assert should_retrain(None, 1, T0, POLICY)


def test_enough_new_facts_retrain_at_once() -> None:
    assert not should_retrain(TRAINED, 1099, T0 + timedelta(minutes=1), POLICY)
    assert should_retrain(TRAINED, 1100, T0 + timedelta(minutes=1), POLICY)


def test_an_old_model_is_retrained_only_if_anything_arrived() -> None:
    late = T0 + timedelta(hours=1)
    assert not should_retrain(TRAINED, 1000, late, POLICY)
    assert not should_retrain(TRAINED, 1001, late - timedelta(seconds=1), POLICY)
    assert should_retrain(TRAINED, 1001, late, POLICY)
