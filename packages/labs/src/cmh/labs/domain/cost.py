"""What a session costs: a price per resource-hour, applied to what is billable over time.

The meter samples the session's inventory (at least every minute) and bills each
interval at the rate of what was billable when it began, so deleted or stopped
resources stop costing and new ones start, without any provider billing API. Totals
stay unrounded between readings; only the amount shown and capped is in cents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from cmh.labs.domain.checks import ObservedResource

CENT = Decimal("0.01")
ANY_TYPE = "*"
_SECONDS_PER_HOUR = Decimal(3600)
# Instance states the providers bill compute for.
_BILLED_STATES = frozenset({"pending", "running", "stopping"})

# USD per hour, on-demand list prices (AWS us-east-1, Azure East US, GCP us-central1,
# Linux). A lab bucket holds well under a gigabyte: its storage and requests come to
# about a hundredth of a cent an hour. VPCs, VNets and subnets have no hourly charge.
# An unknown instance type is priced at the fallback, high on purpose so that the
# budget cap still stops a session that launched something unexpected.
DEFAULT_PRICES: Mapping[tuple[str, str], Decimal] = MappingProxyType(
    {
        ("instance", "t3.nano"): Decimal("0.0052"),
        ("instance", "t3.micro"): Decimal("0.0104"),
        ("instance", "t3.small"): Decimal("0.0208"),
        ("instance", "t3.medium"): Decimal("0.0416"),
        ("instance", "t2.micro"): Decimal("0.0116"),
        ("instance", "t4g.micro"): Decimal("0.0084"),
        ("instance", "m5.large"): Decimal("0.096"),
        ("instance", "Standard_B1s"): Decimal("0.0104"),
        ("instance", "Standard_B1ms"): Decimal("0.0207"),
        ("instance", "Standard_B2s"): Decimal("0.0416"),
        ("instance", "e2-micro"): Decimal("0.0084"),
        ("instance", "e2-small"): Decimal("0.0168"),
        ("instance", "e2-medium"): Decimal("0.0335"),
        ("instance", ANY_TYPE): Decimal("0.50"),
        ("bucket", ANY_TYPE): Decimal("0.0001"),
        ("network", ANY_TYPE): Decimal("0"),
    }
)


@dataclass(frozen=True)
class PriceTable:
    """USD per resource-hour by resource kind and instance type; ``ANY_TYPE`` is the
    kind's fallback. A kind with no price at all is free (nothing the platform bills)."""

    hourly: Mapping[tuple[str, str], Decimal] = field(default_factory=lambda: DEFAULT_PRICES)

    def hourly_price(self, kind: str, instance_type: str | None = None) -> Decimal:
        if instance_type is not None and (kind, instance_type) in self.hourly:
            return self.hourly[(kind, instance_type)]
        return self.hourly.get((kind, ANY_TYPE), Decimal(0))

    def rate_of(self, resources: Iterable[ObservedResource]) -> Decimal:
        """USD per hour of what is billable among ``resources`` right now."""
        return sum(
            (
                self.hourly_price(resource.kind, _instance_type(resource))
                for resource in resources
                if _billable(resource)
            ),
            Decimal(0),
        )


def _instance_type(resource: ObservedResource) -> str | None:
    value = resource.attributes.get("instance_type")
    return value if isinstance(value, str) else None


def _billable(resource: ObservedResource) -> bool:
    if resource.kind != "instance":
        return True
    return resource.attributes.get("state") in _BILLED_STATES


def _hours(elapsed: timedelta) -> Decimal:
    return Decimal(elapsed.total_seconds()) / _SECONDS_PER_HOUR


@dataclass(frozen=True)
class MeterReading:
    """The cost of a session up to ``at``, and the rate it was running at then."""

    at: datetime
    rate_usd_per_hour: Decimal
    total_usd: Decimal

    @classmethod
    def start(
        cls, at: datetime, resources: Iterable[ObservedResource], prices: PriceTable
    ) -> MeterReading:
        return cls(at, prices.rate_of(resources), Decimal(0))

    def advance(
        self, now: datetime, resources: Iterable[ObservedResource], prices: PriceTable
    ) -> MeterReading:
        """Bill the time since the last reading at its rate, then take the new rate. A
        clock behind the reading (another worker's) bills nothing and keeps ``at``."""
        elapsed = max(now - self.at, timedelta(0))
        return MeterReading(
            at=self.at + elapsed,
            rate_usd_per_hour=prices.rate_of(resources),
            total_usd=self.total_usd + self.rate_usd_per_hour * _hours(elapsed),
        )

    @property
    def cost_usd(self) -> Decimal:
        return self.total_usd.quantize(CENT, rounding=ROUND_HALF_UP)
