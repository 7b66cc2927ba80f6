import contextlib
from datetime import timedelta

import pytest

from cmh.kernel.auth.principal import Role
from cmh.kernel.errors import TooManyRequests
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import AccountDisabled, InvalidCredentials
from cmh_testing.users import UsersWorld
from cmh_testing.users.world import CLIENT_ADDRESS

PASSWORD = "Analytical-Engine-1843"


async def test_a_correct_password_opens_a_session(world: UsersWorld) -> None:
    user = await world.registered()

    session = await world.log_in()(email="ADA@example.com", password=PASSWORD)

    principal = world.access_tokens.inspect(session.access_token, now=world.clock.now()).principal
    assert principal.user_id == user.id
    assert principal.roles == {Role.LEARNER.value}
    assert session.expires_in == world.token_settings.access_ttl_seconds
    [refresh] = world.state.refresh_tokens.values()
    assert refresh.user_id == user.id
    assert refresh.token_hash != session.refresh_token
    assert world.state.audit_log[-1].action is AuditAction.LOGIN_SUCCEEDED


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("ada@example.com", "wrong-Password-1"),
        ("nobody@example.com", PASSWORD),
        ("not an email", PASSWORD),
    ],
)
async def test_wrong_credentials_get_one_answer_and_are_audited(
    world: UsersWorld, email: str, password: str
) -> None:
    await world.registered()
    with pytest.raises(InvalidCredentials) as error:
        await world.log_in()(email=email, password=password)
    assert error.value.code == "invalid_credentials"
    assert world.state.audit_log[-1].action is AuditAction.LOGIN_FAILED
    assert world.state.refresh_tokens == {}


async def test_a_disabled_account_is_refused_after_the_password_check(world: UsersWorld) -> None:
    user = await world.registered()
    admin = await world.admin()
    await world.admin_update_user().execute(admin, user.id, status="disabled")
    with pytest.raises(AccountDisabled):
        await world.log_in()(email="ada@example.com", password=PASSWORD)
    last = world.state.audit_log[-1]
    assert (last.action, last.detail) == (AuditAction.LOGIN_FAILED, {"reason": "disabled"})
    with pytest.raises(InvalidCredentials):
        await world.log_in()(email="ada@example.com", password="wrong-Password-1")


async def test_an_erased_account_cannot_log_in(world: UsersWorld) -> None:
    user = await world.registered()
    await world.erase_me().execute(user.principal(token_id="j"))
    with pytest.raises(InvalidCredentials):
        await world.log_in()(email="ada@example.com", password=PASSWORD)


async def _fail(world: UsersWorld, times: int, *, address: str = CLIENT_ADDRESS) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            await world.log_in(address)(email="ada@example.com", password="wrong-Password-1")


async def test_failures_from_one_address_slow_it_down_progressively(world: UsersWorld) -> None:
    await world.registered()
    await _fail(world, 5)
    with pytest.raises(TooManyRequests) as first:
        await world.log_in()(email="Ada@Example.com", password=PASSWORD)
    world.clock.advance(timedelta(seconds=1))
    await _fail(world, 1)
    with pytest.raises(TooManyRequests) as second:
        await world.log_in()(email="ada@example.com", password=PASSWORD)
    assert (first.value.retry_after, second.value.retry_after) == (1, 2)
    # Waiting is enough: the right password then opens a session, and clears the count.
    world.clock.advance(timedelta(seconds=2))
    await world.log_in()(email="ada@example.com", password=PASSWORD)
    await _fail(world, 5)
    # Other accounts from the same address are not affected.
    await world.registered(email="grace@example.com")
    await world.log_in()(email="grace@example.com", password=PASSWORD)


async def test_strangers_failures_never_lock_the_owner_out(world: UsersWorld) -> None:
    await world.registered()
    await world.log_in()(email="ada@example.com", password=PASSWORD)  # her usual address
    for n in range(200):  # a distributed guesser, as fast as it is allowed
        with contextlib.suppress(InvalidCredentials, TooManyRequests):
            await world.log_in(f"198.51.100.{n % 20}")(
                email="ada@example.com", password=f"guess-{n}-Password"
            )
    await world.log_in()(email="ada@example.com", password=PASSWORD)


async def test_a_guesser_spread_over_many_addresses_is_slowed_too(world: UsersWorld) -> None:
    await world.registered()
    guesses = []
    for n in range(200):
        try:
            await world.log_in(f"198.51.100.{n % 20}")(
                email="ada@example.com", password=f"guess-{n}-Password"
            )
        except (InvalidCredentials, TooManyRequests) as refused:
            guesses.append(type(refused))
    # 20 failures are free for the account as a whole; then every unfamiliar address waits.
    assert guesses.count(InvalidCredentials) == 20
    with pytest.raises(TooManyRequests):
        await world.log_in("192.0.2.1")(email="ada@example.com", password=PASSWORD)
