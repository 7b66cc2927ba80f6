"""Item-item collaborative filtering with NumPy: cosine similarity between courses over
the learners who took them, a learner's candidates scored by the similarity to what they
took (weighted: a finished course counts more than an enrollment)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cmh.analytics.domain.recommendations import Neighbour


def similarity(matrix: np.ndarray) -> np.ndarray:
    """Cosine similarity between the columns of a learners x courses matrix, with the
    diagonal zeroed (a course does not recommend itself)."""
    norms = np.linalg.norm(matrix, axis=0)
    norms[norms == 0] = 1.0
    normalised = matrix / norms
    sims: np.ndarray = normalised.T @ normalised
    np.fill_diagonal(sims, 0.0)
    return sims


class NumpyItemItemFilter:
    def neighbours(
        self, baskets: Mapping[str, Mapping[str, float]], user_id: str
    ) -> dict[str, Neighbour]:
        mine = baskets.get(user_id)
        if not mine:
            return {}
        courses = sorted({c for basket in baskets.values() for c in basket})
        index = {c: i for i, c in enumerate(courses)}
        learners = list(baskets)
        matrix = np.zeros((len(learners), len(courses)))
        for row, learner in enumerate(learners):
            for course, weight in baskets[learner].items():
                matrix[row, index[course]] = weight
        sims = similarity(matrix)
        taken = [index[c] for c in mine]
        weights = np.array([mine[courses[i]] for i in taken])
        # contributions[t, j]: how much taken course t predicts course j.
        contributions = sims[taken, :] * weights[:, None]
        scores = contributions.sum(axis=0)
        strongest = contributions.argmax(axis=0)
        return {
            courses[j]: Neighbour(score=float(scores[j]), because=courses[taken[strongest[j]]])
            for j in range(len(courses))
            if scores[j] > 0 and courses[j] not in mine
        }
