from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.users.domain.login_throttle import (
    NO_WAIT,
    FailureCount,
    LoginHistory,
    LoginThrottlePolicy,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
POLICY = LoginThrottlePolicy()


def _history(
    from_address: int = 0, account: int = 0, *, known: bool = False, at: datetime = T0
) -> LoginHistory:
    return LoginHistory(
        from_address=FailureCount(from_address, at if from_address else None),
        account=FailureCount(account, at if account else None),
        known_address=known,
    )


def test_the_first_failures_from_an_address_cost_nothing() -> None:
    assert POLICY.wait(_history(from_address=4, account=4), T0) == NO_WAIT


def test_further_failures_double_the_wait_up_to_the_cap() -> None:
    waits = [POLICY.wait(_history(from_address=n, account=n), T0) for n in range(5, 17)]
    assert [w.total_seconds() for w in waits] == [
        1,
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        256,
        512,
        900,
        900,
    ]


def test_the_wait_runs_from_the_last_failure() -> None:
    history = _history(from_address=8, account=8)  # 8 s after the 8th failure
    assert POLICY.wait(history, T0 + timedelta(seconds=3)) == timedelta(seconds=5)
    assert POLICY.wait(history, T0 + timedelta(seconds=8)) == NO_WAIT


def test_a_distributed_guesser_is_slowed_at_every_unfamiliar_address() -> None:
    # 60 failures spread over many addresses, none of them from this one.
    assert POLICY.wait(_history(account=60), T0) == POLICY.max_delay


def test_the_owner_at_a_known_address_is_not_held_up_by_strangers() -> None:
    assert POLICY.wait(_history(account=200, known=True), T0) == NO_WAIT
    # ... but their own failures from there still count.
    assert POLICY.wait(_history(from_address=7, account=200, known=True), T0) == timedelta(
        seconds=4
    )


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_more_failures_never_shorten_the_delay(failures: int, more: int) -> None:
    shorter = POLICY.delay_after(failures, POLICY.free_failures_per_address)
    longer = POLICY.delay_after(failures + more, POLICY.free_failures_per_address)
    assert NO_WAIT <= shorter <= longer <= POLICY.max_delay


@pytest.mark.parametrize(
    "changes",
    [
        {"free_failures_per_address": 0},
        {"free_failures_per_account": 0},
        {"first_delay": NO_WAIT},
        {"first_delay": timedelta(hours=1), "max_delay": timedelta(minutes=1)},
    ],
)
def test_a_policy_that_would_lock_or_never_slow_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"free|delays"):
        LoginThrottlePolicy(**changes)  # type: ignore[arg-type]
