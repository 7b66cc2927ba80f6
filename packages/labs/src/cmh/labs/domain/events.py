"""The facts the Labs aggregates record (kernel ``recorded_events``); the outbox mapper
turns them into the ``lab.*`` contract events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TemplateCreated:
    template_id: str
    owner_id: str
    provider: str
    at: datetime


@dataclass(frozen=True)
class TemplateRevised:
    template_id: str
    changed: tuple[str, ...]
    at: datetime
