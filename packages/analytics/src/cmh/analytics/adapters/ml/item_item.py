"""Item-item collaborative filtering with NumPy: cosine similarity between courses over
the learners who took them, a learner's candidates scored by the similarity to what they
took (weighted: a finished course counts more than an enrollment).

Only the similarity rows of the learner's own courses are computed (taken x all, not
all x all): a refresh costs one pass over the learners x courses matrix."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cmh.analytics.domain.model import ModelVersion
from cmh.analytics.domain.recommendations import Neighbour


def interaction_matrix(
    baskets: Mapping[str, Mapping[str, float]],
) -> tuple[np.ndarray, list[str]]:
    courses = sorted({c for basket in baskets.values() for c in basket})
    index = {c: i for i, c in enumerate(courses)}
    rows: list[int] = []
    cols: list[int] = []
    weights: list[float] = []
    for row, basket in enumerate(baskets.values()):
        for course, weight in basket.items():
            rows.append(row)
            cols.append(index[course])
            weights.append(weight)
    matrix = np.zeros((len(baskets), len(courses)))
    matrix[rows, cols] = weights
    return matrix, courses


def similarity_rows(matrix: np.ndarray, columns: list[int]) -> np.ndarray:
    """Cosine similarity of ``columns`` to every column, a column's own similarity zeroed
    (a course does not recommend itself)."""
    norms = np.sqrt(np.einsum("ij,ij->j", matrix, matrix))
    norms[norms == 0] = 1.0
    # Normalise the small product, not the learners x courses matrix.
    sims: np.ndarray = (matrix[:, columns].T @ matrix) / np.outer(norms[columns], norms)
    sims[np.arange(len(columns)), columns] = 0.0
    return sims


class ItemItemModel:
    """A trained model: every course's similarity to every course (courses x courses)."""

    def __init__(self, baskets: Mapping[str, Mapping[str, float]]) -> None:
        matrix, self.courses = interaction_matrix(baskets)
        self.index = {c: i for i, c in enumerate(self.courses)}
        self.similarity = similarity_rows(matrix, list(range(len(self.courses))))

    def neighbours(self, mine: Mapping[str, float]) -> dict[str, Neighbour]:
        taken = [self.index[c] for c in mine if c in self.index]
        if not taken:
            return {}
        weights = np.array([mine[self.courses[i]] for i in taken])
        return _scored(self.similarity[taken] * weights[:, None], self.courses, taken, mine)


def _scored(
    contributions: np.ndarray, courses: list[str], taken: list[int], mine: Mapping[str, float]
) -> dict[str, Neighbour]:
    scores = contributions.sum(axis=0)
    strongest = contributions.argmax(axis=0)
    return {
        courses[j]: Neighbour(score=float(scores[j]), because=courses[taken[strongest[j]]])
        for j in np.flatnonzero(scores > 0)
        if courses[j] not in mine
    }


class NumpyItemItemFilter:
    """Computes similarities per call until a model is trained; then uses the latest
    model, replaced by one reference assignment (atomic for every reader)."""

    def __init__(self) -> None:
        self._trained: tuple[ItemItemModel, ModelVersion] | None = None

    def train(self, baskets: Mapping[str, Mapping[str, float]], version: ModelVersion) -> None:
        self._trained = (ItemItemModel(baskets), version)  # the swap: one assignment

    def current(self) -> ModelVersion | None:
        trained = self._trained
        return trained[1] if trained else None

    def neighbours(
        self, baskets: Mapping[str, Mapping[str, float]], user_id: str
    ) -> dict[str, Neighbour]:
        mine = baskets.get(user_id)
        if not mine:
            return {}
        trained = self._trained
        if trained is not None:
            return trained[0].neighbours(mine)
        matrix, courses = interaction_matrix(baskets)
        index = {c: i for i, c in enumerate(courses)}
        taken = [index[c] for c in mine]
        weights = np.array([mine[courses[i]] for i in taken])
        # contributions[t, j]: how much taken course t predicts course j.
        contributions = similarity_rows(matrix, taken) * weights[:, None]
        return _scored(contributions, courses, taken, mine)
