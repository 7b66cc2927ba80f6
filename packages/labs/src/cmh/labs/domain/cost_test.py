from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cmh.labs.domain.checks import ObservedResource
from cmh.labs.domain.cost import ANY_TYPE, MeterReading, PriceTable

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PRICES = PriceTable()


def instance(instance_type: str | None = "t3.micro", state: str = "running") -> ObservedResource:
    attributes: dict[str, str | bool] = {"state": state}
    if instance_type is not None:
        attributes["instance_type"] = instance_type
    return ObservedResource("instance", "i-1", "us-east-1", {}, attributes)


BUCKET = ObservedResource("bucket", "logs-1", "us-east-1")
NETWORK = ObservedResource("network", "vpc-1", "us-east-1")


def test_the_default_table_prices_common_lab_resources() -> None:
    assert PRICES.hourly_price("instance", "t3.micro") == Decimal("0.0104")
    assert PRICES.hourly_price("instance", "e2-micro") == Decimal("0.0084")
    assert PRICES.hourly_price("bucket") == Decimal("0.0001")
    assert PRICES.hourly_price("network") == Decimal(0)


def test_an_unknown_instance_type_costs_the_high_fallback() -> None:
    assert PRICES.hourly_price("instance", "p4d.24xlarge") == Decimal("0.50")
    assert PRICES.hourly_price("instance") == Decimal("0.50")


def test_a_kind_without_a_price_is_free() -> None:
    assert PRICES.hourly_price("queue") == Decimal(0)


def test_a_table_of_its_own_replaces_the_defaults() -> None:
    prices = PriceTable({("instance", ANY_TYPE): Decimal("1")})
    assert prices.hourly_price("instance", "t3.micro") == Decimal("1")
    assert prices.hourly_price("bucket") == Decimal(0)


def test_only_running_instances_bill_compute() -> None:
    assert PRICES.rate_of([instance(), BUCKET, NETWORK]) == Decimal("0.0105")
    assert PRICES.rate_of([instance(state="stopped"), BUCKET]) == Decimal("0.0001")
    assert PRICES.rate_of([]) == Decimal(0)


def test_the_meter_bills_each_interval_at_the_rate_it_began_with() -> None:
    reading = MeterReading.start(T0, [instance("m5.large")], PRICES)
    reading = reading.advance(T0 + timedelta(hours=2), [instance("m5.large", "stopped")], PRICES)
    assert reading.total_usd == Decimal("0.192")
    # Stopped: the next hour bills nothing.
    reading = reading.advance(T0 + timedelta(hours=3), [instance("m5.large")], PRICES)
    assert reading.total_usd == Decimal("0.192")
    reading = reading.advance(T0 + timedelta(hours=3, minutes=30), [], PRICES)
    assert (reading.total_usd, reading.cost_usd) == (Decimal("0.240"), Decimal("0.24"))
    assert reading.rate_usd_per_hour == Decimal(0)


def test_minute_readings_add_up_to_the_hour_without_losing_cents() -> None:
    reading = MeterReading.start(T0, [instance("m5.large")], PRICES)
    for minute in range(1, 61):
        reading = reading.advance(T0 + timedelta(minutes=minute), [instance("m5.large")], PRICES)
    assert reading.cost_usd == Decimal("0.10")
    assert abs(reading.total_usd - Decimal("0.096")) < Decimal("1e-20")


def test_cents_round_half_up() -> None:
    assert MeterReading(T0, Decimal(0), Decimal("0.125")).cost_usd == Decimal("0.13")
    assert MeterReading(T0, Decimal(0), Decimal("0.1249")).cost_usd == Decimal("0.12")


def test_a_clock_behind_the_reading_bills_nothing() -> None:
    reading = MeterReading.start(T0, [instance()], PRICES)
    earlier = reading.advance(T0 - timedelta(minutes=5), [instance()], PRICES)
    assert (earlier.at, earlier.total_usd) == (T0, Decimal(0))


@given(st.lists(st.tuples(st.integers(-10, 120), st.booleans()), max_size=30))
def test_the_total_never_decreases(steps: list[tuple[int, bool]]) -> None:
    reading = MeterReading.start(T0, [instance()], PRICES)
    for minutes, running in steps:
        state = "running" if running else "stopped"
        later = reading.advance(
            reading.at + timedelta(minutes=minutes), [instance(state=state)], PRICES
        )
        assert later.total_usd >= reading.total_usd
        assert later.at >= reading.at
        reading = later
