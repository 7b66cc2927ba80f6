"""What the Analytics context's aggregates record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class RecommendationsUpdated:
    user_id: str
    items: tuple[Any, ...]  # Recommendation (domain.recommendations)
    at: datetime
