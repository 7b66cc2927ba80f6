from datetime import timedelta

import pytest

from cmh.kernel.errors import InvalidInput, TooManyRequests
from cmh.users.domain.audit import AuditAction
from cmh_testing.users import UsersWorld


async def test_the_mailed_token_verifies_the_address_once(world: UsersWorld) -> None:
    user = await world.registered()
    token = world.mailer.last_token("email_verification", "ada@example.com")

    await world.verify_email().execute(token=token)

    assert world.stored(user.id).email_verified
    assert world.state.audit_log[-1].action is AuditAction.EMAIL_VERIFIED
    with pytest.raises(InvalidInput) as error:
        await world.verify_email().execute(token=token)
    assert error.value.field == "token"


async def test_an_unknown_token_is_refused(world: UsersWorld) -> None:
    with pytest.raises(InvalidInput, match="not valid"):
        await world.verify_email().execute(token="made-up")


async def test_an_expired_token_is_refused(world: UsersWorld) -> None:
    await world.registered()
    token = world.mailer.last_token("email_verification", "ada@example.com")
    world.clock.advance(world.policy.email_verification_ttl)
    with pytest.raises(InvalidInput) as error:
        await world.verify_email().execute(token=token)
    assert error.value.code == "token_expired"


async def test_a_resent_link_replaces_the_previous_one(world: UsersWorld) -> None:
    user = await world.registered()
    first = world.mailer.last_token("email_verification", "ada@example.com")

    await world.resend_verification().execute(user.principal(token_id="j"))

    second = world.mailer.last_token("email_verification", "ada@example.com")
    assert second != first
    with pytest.raises(InvalidInput):
        await world.verify_email().execute(token=first)
    await world.verify_email().execute(token=second)
    assert world.stored(user.id).email_verified


async def test_resending_is_limited_per_address(world: UsersWorld) -> None:
    user = await world.registered()
    caller = user.principal(token_id="j")
    for _ in range(world.policy.mails_per_address.amount):
        await world.resend_verification().execute(caller)
        world.clock.advance(timedelta(seconds=1))
    with pytest.raises(TooManyRequests) as error:
        await world.resend_verification().execute(caller)
    assert error.value.retry_after > 0
