"""Smooth weighted round-robin (nginx's algorithm) over the instances of one upstream that
are in rotation: weights 3:1 give a, a, b, a rather than a, a, a, b.

An instance leaves the rotation for what makes it unable to answer, seen two ways:
- actively: its readiness endpoint, polled (``mark``);
- passively, on live traffic (outlier detection, as Envoy does it): ``failures`` consecutive
  failed calls (refused, reset, timed out, 5xx) eject it for ``base_ejection`` seconds,
  doubled at each ejection in a row up to ``max_ejection``. Back from an ejection it is on
  probation: its next failure ejects it again at once, its next success forgives it. A
  passing readiness poll ends an ejection early, so recovery is one poll away.

Times are seconds on a monotonic clock the caller passes in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OutlierPolicy:
    failures: int = 5
    base_ejection: float = 2.0
    max_ejection: float = 30.0


@dataclass
class Instance:
    url: str
    weight: int
    healthy: bool = True
    current: int = 0
    consecutive_failures: int = 0
    ejections: int = 0
    ejected_until: float = 0.0
    probation: bool = False

    def available(self, now: float) -> bool:
        return self.healthy and now >= self.ejected_until


class UpstreamPool:
    def __init__(
        self,
        name: str,
        instances: Sequence[tuple[str, int]],
        policy: OutlierPolicy = OutlierPolicy(),
    ) -> None:
        # May be empty: discovery can find no instance yet, and calls then find none.
        self.name = name
        self.policy = policy
        self.instances = [Instance(url.rstrip("/"), max(1, weight)) for url, weight in instances]

    def pick(self, now: float, *, besides: Instance | None = None) -> Instance | None:
        """The next instance in rotation; ``besides``: one that just refused a connection."""
        available = [i for i in self.instances if i.available(now) and i is not besides]
        if not available:
            return None
        total = 0
        best = available[0]
        for instance in available:
            instance.current += instance.weight
            total += instance.weight
            if instance.current > best.current:
                best = instance
        best.current -= total
        return best

    def succeeded(self, instance: Instance) -> None:
        instance.consecutive_failures = 0
        instance.ejections = 0
        instance.probation = False

    def failed(self, instance: Instance, now: float) -> float | None:
        """Count a failed call; returns the ejection's length when this one ejects it."""
        if now < instance.ejected_until:
            return None  # a call that was already under way when it was ejected
        instance.consecutive_failures += 1
        if not instance.probation and instance.consecutive_failures < self.policy.failures:
            return None
        seconds = min(self.policy.base_ejection * 2.0**instance.ejections, self.policy.max_ejection)
        instance.ejections += 1
        instance.ejected_until = now + seconds
        instance.consecutive_failures = 0
        instance.probation = True
        return seconds

    def replace(self, instances: Sequence[tuple[str, int]]) -> None:
        """Discovery's new list: instances still listed keep their health, ejections and
        place in the rotation (with the new weight); new ones start healthy."""
        known = {instance.url: instance for instance in self.instances}
        replaced = []
        for url, weight in instances:
            instance = known.get(url.rstrip("/")) or Instance(url.rstrip("/"), 1)
            instance.weight = max(1, weight)
            replaced.append(instance)
        self.instances = replaced

    def mark(self, url: str, *, healthy: bool) -> None:
        """The active check's verdict; a pass also ends a passive ejection."""
        for instance in self.instances:
            if instance.url == url:
                if healthy and (not instance.healthy or instance.ejected_until):
                    instance.current = 0
                if healthy:
                    instance.ejected_until = 0.0
                instance.healthy = healthy

    def any_available(self, now: float) -> bool:
        return any(instance.available(now) for instance in self.instances)

    @property
    def any_healthy(self) -> bool:
        """Some instance passes its readiness check (passive ejections aside)."""
        return any(instance.healthy for instance in self.instances)
