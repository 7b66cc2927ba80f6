"""The Cost Explorer request the platform sends and how it reads the answer (botocore's
Stubber checks the request against the expected parameters and the service model)."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from botocore.stub import Stubber

from cmh.labs.adapters.aws.clients import AwsClients, AwsCredentials
from cmh.labs.adapters.aws.cost_explorer import CostExplorerCostSource, cost_request

START = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
END = datetime(2026, 11, 30, 11, 40, tzinfo=UTC)


def _day(start: str, end: str, amount: str, unit: str = "USD") -> dict[str, Any]:
    return {
        "TimePeriod": {"Start": start, "End": end},
        "Total": {"UnblendedCost": {"Amount": amount, "Unit": unit}},
        "Groups": [],
        "Estimated": True,
    }


@pytest.fixture
def source_and_stub() -> tuple[CostExplorerCostSource, Stubber]:
    operator = AwsClients(None, "us-east-1", AwsCredentials("AKIAEXAMPLE", "secret"))
    source = CostExplorerCostSource(operator)
    return source, Stubber(source._ce)


def test_the_request_filters_by_the_session_tag_over_whole_days() -> None:
    assert cost_request("s-1", START, END) == {
        "TimePeriod": {"Start": "2026-11-30", "End": "2026-12-01"},
        "Granularity": "DAILY",
        "Metrics": ["UnblendedCost"],
        "Filter": {"Tags": {"Key": "cmh:session", "Values": ["s-1"], "MatchOptions": ["EQUALS"]}},
    }
    midnight = datetime(2026, 12, 2, tzinfo=UTC)
    assert cost_request("s-1", START, midnight)["TimePeriod"] == {
        "Start": "2026-11-30",
        "End": "2026-12-02",
    }


async def test_every_page_is_summed_in_decimal(
    source_and_stub: tuple[CostExplorerCostSource, Stubber],
) -> None:
    source, stub = source_and_stub
    request = cost_request("s-1", START, END)
    stub.add_response(
        "get_cost_and_usage",
        {"ResultsByTime": [_day("2026-11-30", "2026-12-01", "0.1")], "NextPageToken": "p2"},
        request,
    )
    stub.add_response(
        "get_cost_and_usage",
        {"ResultsByTime": [_day("2026-11-30", "2026-12-01", "0.2")]},
        {**request, "NextPageToken": "p2"},
    )
    with stub:
        assert await source.cost_between("s-1", START, END) == Decimal("0.3")
    stub.assert_no_pending_responses()


async def test_an_answer_in_another_currency_is_refused(
    source_and_stub: tuple[CostExplorerCostSource, Stubber],
) -> None:
    source, stub = source_and_stub
    stub.add_response(
        "get_cost_and_usage",
        {"ResultsByTime": [_day("2026-11-30", "2026-12-01", "1", unit="EUR")]},
        cost_request("s-1", START, END),
    )
    with stub, pytest.raises(ValueError, match="EUR"):
        await source.cost_between("s-1", START, END)
