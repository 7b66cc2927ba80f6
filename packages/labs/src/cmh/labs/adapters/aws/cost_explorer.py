"""A ``CostSource`` reading AWS Cost Explorer: the session's cost, by its tag.

Cost Explorer answers for the management (payer) account, and only for cost allocation
tags that were activated there: ``cmh:session`` must be. Its days are UTC dates with an
exclusive end, and its figures lag usage by hours, so the platform's own price-table meter
keeps the running cost and this one reconciles it afterwards.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from cmh.labs.adapters.aws.clients import AwsClients
from cmh.labs.domain.checks import SESSION_TAG

METRIC = "UnblendedCost"


def cost_request(session_id: str, start: datetime, end: datetime) -> dict[str, Any]:
    """The ``get_cost_and_usage`` arguments for the session, whole days around the span."""
    first_day = start.date()
    last_day = end.date() if end.time() == datetime.min.time() else end.date() + timedelta(1)
    if last_day <= first_day:
        last_day = first_day + timedelta(days=1)
    return {
        "TimePeriod": {"Start": first_day.isoformat(), "End": last_day.isoformat()},
        "Granularity": "DAILY",
        "Metrics": [METRIC],
        "Filter": {
            "Tags": {"Key": SESSION_TAG, "Values": [session_id], "MatchOptions": ["EQUALS"]}
        },
    }


def total_usd(pages: list[dict[str, Any]]) -> Decimal:
    total = Decimal(0)
    for page in pages:
        for period in page.get("ResultsByTime", []):
            amount = period.get("Total", {}).get(METRIC)
            if amount is None:
                continue
            if amount.get("Unit", "USD") != "USD":
                raise ValueError(f"Cost Explorer answered in {amount['Unit']}, not USD")
            total += Decimal(amount["Amount"])
    return total


class CostExplorerCostSource:
    def __init__(self, operator: AwsClients) -> None:
        # Cost Explorer has one endpoint, in us-east-1.
        self._ce = operator.client("ce", "us-east-1")

    def _cost_between(self, session_id: str, start: datetime, end: datetime) -> Decimal:
        request = cost_request(session_id, start, end)
        pages = []
        while True:
            page = self._ce.get_cost_and_usage(**request)
            pages.append(page)
            token = page.get("NextPageToken")
            if not token:
                return total_usd(pages)
            request = {**request, "NextPageToken": token}

    async def cost_between(self, session_id: str, start: datetime, end: datetime) -> Decimal:
        return await asyncio.to_thread(self._cost_between, session_id, start, end)
