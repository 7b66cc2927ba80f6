"""Smooth weighted round-robin (nginx's algorithm) over the healthy instances of one
upstream: weights 3:1 give a, a, b, a rather than a, a, a, b."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Instance:
    url: str
    weight: int
    healthy: bool = True
    current: int = 0


class UpstreamPool:
    def __init__(self, name: str, instances: Sequence[tuple[str, int]]) -> None:
        if not instances:
            raise ValueError(f"upstream {name!r} has no instances")
        self.name = name
        self.instances = [Instance(url.rstrip("/"), max(1, weight)) for url, weight in instances]

    def pick(self) -> Instance | None:
        healthy = [instance for instance in self.instances if instance.healthy]
        if not healthy:
            return None
        total = 0
        best = healthy[0]
        for instance in healthy:
            instance.current += instance.weight
            total += instance.weight
            if instance.current > best.current:
                best = instance
        best.current -= total
        return best

    def mark(self, url: str, *, healthy: bool) -> None:
        for instance in self.instances:
            if instance.url == url:
                if healthy and not instance.healthy:
                    instance.current = 0
                instance.healthy = healthy

    @property
    def any_healthy(self) -> bool:
        return any(instance.healthy for instance in self.instances)
