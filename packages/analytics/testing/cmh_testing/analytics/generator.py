"""A recommendation data set with planted structure, for the offline quality test.

``TOPICS`` clusters of ``COURSES_PER_TOPIC`` courses each (tagged with their topic).
Every course has a global popularity drawn from a Zipf-like law (rank r weighs
1 / r^0.8, ranks shuffled across topics), so "what everyone takes" is a real baseline.
Each learner has one home topic and takes ``COURSES_PER_LEARNER`` distinct courses: each
one from the home topic with probability ``HOME_SHARE`` (chosen by popularity within the
topic), otherwise from the whole catalog by popularity; half of them finished.
The held-out split removes ``HELD_OUT`` random courses per learner: a recommender that
learns the co-taking structure finds them, popularity only partly does.
Everything comes from ``random.Random(seed)``: the same seed, the same data set.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TOPICS = ("aws", "azure", "gcp", "kubernetes", "terraform", "security")
COURSES_PER_TOPIC = 8
LEARNERS = 600
COURSES_PER_LEARNER = 6
HOME_SHARE = 0.8
FINISH_SHARE = 0.5
HELD_OUT = 2
SEED = 20261130


@dataclass(frozen=True)
class DataSet:
    courses: dict[str, str]  # course id -> topic
    train: dict[str, dict[str, float]]  # learner -> course -> weight (1 enrolled, 2 finished)
    held_out: dict[str, set[str]]


def _pick(
    rng: random.Random, options: list[str], weights: dict[str, float], taken: set[str]
) -> str:
    free = [c for c in options if c not in taken]
    return rng.choices(free, weights=[weights[c] for c in free])[0]


def generate(seed: int = SEED) -> DataSet:
    rng = random.Random(seed)  # noqa: S311 - a reproducible data set, not a secret
    courses = {f"{topic}-{n}": topic for topic in TOPICS for n in range(COURSES_PER_TOPIC)}
    ranks = list(range(1, len(courses) + 1))
    rng.shuffle(ranks)
    popularity = {c: 1 / r**0.8 for c, r in zip(courses, ranks, strict=True)}
    by_topic = {t: [c for c, ct in courses.items() if ct == t] for t in TOPICS}
    everything = list(courses)
    train: dict[str, dict[str, float]] = {}
    held_out: dict[str, set[str]] = {}
    for n in range(LEARNERS):
        learner = f"learner-{n}"
        home = rng.choice(TOPICS)
        taken: set[str] = set()
        while len(taken) < COURSES_PER_LEARNER:
            pool = by_topic[home] if rng.random() < HOME_SHARE else everything
            taken.add(_pick(rng, pool, popularity, taken))
        ordered = sorted(taken)
        rng.shuffle(ordered)
        held_out[learner] = set(ordered[:HELD_OUT])
        train[learner] = {
            c: 2.0 if rng.random() < FINISH_SHARE else 1.0 for c in ordered[HELD_OUT:]
        }
    return DataSet(courses=courses, train=train, held_out=held_out)
