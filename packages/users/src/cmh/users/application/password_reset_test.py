import pytest

from cmh.kernel.errors import InvalidInput
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import InvalidCredentials, RefreshTokenRevoked, WeakPassword
from cmh_testing.users import UsersWorld

OLD = "Analytical-Engine-1843"
NEW = "Difference-Engine-1822"


async def test_reset_sets_the_password_and_closes_every_session(world: UsersWorld) -> None:
    user = await world.registered()
    session = await world.log_in()(email="ada@example.com", password=OLD)

    await world.request_password_reset().execute(email="ADA@example.com")
    token = world.mailer.last_token("password_reset", "ada@example.com")
    await world.reset_password().execute(token=token, new_password=NEW)

    with pytest.raises(InvalidCredentials):
        await world.log_in()(email="ada@example.com", password=OLD)
    await world.log_in()(email="ada@example.com", password=NEW)
    with pytest.raises(RefreshTokenRevoked):
        await world.refresh().execute(refresh_token=session.refresh_token)
    assert world.stored(user.id).email_verified
    actions = [e.action for e in world.state.audit_log]
    assert AuditAction.PASSWORD_RESET_REQUESTED in actions
    assert AuditAction.PASSWORD_RESET in actions
    with pytest.raises(InvalidInput):
        await world.reset_password().execute(token=token, new_password="Yet-Another-Password-1")


async def test_unknown_addresses_get_no_mail_and_no_error(world: UsersWorld) -> None:
    await world.request_password_reset().execute(email="nobody@example.com")
    await world.request_password_reset().execute(email="not an address")
    assert world.mailer.sent == []


async def test_mails_per_address_are_limited_silently(world: UsersWorld) -> None:
    await world.registered()
    for _ in range(5):
        await world.request_password_reset().execute(email="ada@example.com")
    resets = [m for m in world.mailer.sent if m.kind == "password_reset"]
    assert len(resets) == world.policy.mails_per_address.amount


async def test_a_weak_new_password_names_the_field_and_keeps_the_token(world: UsersWorld) -> None:
    await world.registered()
    await world.request_password_reset().execute(email="ada@example.com")
    token = world.mailer.last_token("password_reset", "ada@example.com")
    with pytest.raises(WeakPassword) as error:
        await world.reset_password().execute(token=token, new_password="short")
    assert error.value.field == "new_password"
    await world.reset_password().execute(token=token, new_password=NEW)


async def test_an_expired_reset_token_is_refused(world: UsersWorld) -> None:
    await world.registered()
    await world.request_password_reset().execute(email="ada@example.com")
    token = world.mailer.last_token("password_reset", "ada@example.com")
    world.clock.advance(world.policy.password_reset_ttl)
    with pytest.raises(InvalidInput) as error:
        await world.reset_password().execute(token=token, new_password=NEW)
    assert error.value.code == "token_expired"


async def test_a_verification_token_cannot_reset_a_password(world: UsersWorld) -> None:
    await world.registered()
    token = world.mailer.last_token("email_verification", "ada@example.com")
    with pytest.raises(InvalidInput):
        await world.reset_password().execute(token=token, new_password=NEW)
