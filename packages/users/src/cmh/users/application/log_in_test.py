import pytest

from cmh.kernel.auth.principal import Role
from cmh.kernel.errors import TooManyRequests
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import AccountDisabled, InvalidCredentials
from cmh.users.testing import UsersWorld

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
    await world.admin_update_user()(admin, user.id, status="disabled")
    with pytest.raises(AccountDisabled):
        await world.log_in()(email="ada@example.com", password=PASSWORD)
    last = world.state.audit_log[-1]
    assert (last.action, last.detail) == (AuditAction.LOGIN_FAILED, {"reason": "disabled"})
    with pytest.raises(InvalidCredentials):
        await world.log_in()(email="ada@example.com", password="wrong-Password-1")


async def test_an_erased_account_cannot_log_in(world: UsersWorld) -> None:
    user = await world.registered()
    await world.erase_me()(user.principal(token_id="j"))
    with pytest.raises(InvalidCredentials):
        await world.log_in()(email="ada@example.com", password=PASSWORD)


async def test_after_five_failures_the_address_is_locked_even_for_the_right_password(
    world: UsersWorld,
) -> None:
    await world.registered()
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await world.log_in()(email="ada@example.com", password="wrong-Password-1")
    with pytest.raises(TooManyRequests) as error:
        await world.log_in()(email="Ada@Example.com", password=PASSWORD)
    assert 0 < error.value.retry_after <= 301
    # Other accounts are not affected.
    await world.registered(email="grace@example.com")
    await world.log_in()(email="grace@example.com", password=PASSWORD)
