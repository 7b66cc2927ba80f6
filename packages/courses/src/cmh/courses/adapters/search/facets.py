"""Facet counting shared by the search adapters that count in Python."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from cmh.courses.application.ports import CourseDocument, Facets


def count_facets(documents: Iterable[CourseDocument]) -> Facets:
    providers: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for document in documents:
        providers[document.provider] += 1
        levels[document.level] += 1
        tags.update(document.tags)
    return Facets(
        provider=dict(sorted(providers.items())),
        level=dict(sorted(levels.items())),
        tags=dict(sorted(tags.items())),
    )
