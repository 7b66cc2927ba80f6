"""Disabling or erasing an account ends its access tokens at once, not at their expiry:
the use case stamps "tokens not before", and the authenticator refuses older tokens."""

from datetime import timedelta

import pytest

from cmh.kernel.errors import Unauthenticated
from cmh_testing.users import UsersWorld
from cmh_testing.users.world import CLIENT_ADDRESS, PASSWORD


async def _signed_in(world: UsersWorld, email: str = "ada@example.com") -> tuple[str, str]:
    user = await world.registered(email=email)
    session = await world.log_in()(email=email, password=PASSWORD, client_address=CLIENT_ADDRESS)
    return user.id, session.access_token


async def _refused(world: UsersWorld, token: str) -> str:
    with pytest.raises(Unauthenticated) as refused:
        await world.authenticator.authenticate(token)
    return refused.value.code


async def test_disabling_ends_the_access_tokens_already_out(world: UsersWorld) -> None:
    admin = await world.admin()
    ada_id, ada_token = await _signed_in(world)
    _, grace_token = await _signed_in(world, "grace@example.com")
    assert (await world.authenticator.authenticate(ada_token)).user_id == ada_id

    await world.admin_update_user().execute(admin, ada_id, status="disabled")

    assert await _refused(world, ada_token) == "token_revoked"
    assert await world.authenticator.authenticate(grace_token)  # nobody else's
    # Enabled again, the old token stays dead; a new login works.
    world.clock.advance(timedelta(seconds=1))
    await world.admin_update_user().execute(admin, ada_id, status="active")
    assert await _refused(world, ada_token) == "token_revoked"
    fresh = await world.log_in()(
        email="ada@example.com", password=PASSWORD, client_address=CLIENT_ADDRESS
    )
    assert (await world.authenticator.authenticate(fresh.access_token)).user_id == ada_id


async def test_role_changes_alone_leave_tokens_alone(world: UsersWorld) -> None:
    admin = await world.admin()
    ada_id, ada_token = await _signed_in(world)
    await world.admin_update_user().execute(admin, ada_id, roles=["learner", "instructor"])
    assert await world.stamps.not_before(ada_id) is None
    assert await world.authenticator.authenticate(ada_token)


async def test_erasure_ends_the_access_tokens_already_out(world: UsersWorld) -> None:
    ada_id, ada_token = await _signed_in(world)
    caller = await world.authenticator.authenticate(ada_token)

    await world.erase_me().execute(caller)

    assert await _refused(world, ada_token) == "token_revoked"
    assert await world.stamps.not_before(ada_id) == int(world.clock.now().timestamp())
