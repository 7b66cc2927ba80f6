from datetime import timedelta

import pytest

from cmh.users.application.views import TokenPair
from cmh.users.domain.audit import AuditAction
from cmh.users.domain.errors import (
    AccountDisabled,
    RefreshTokenExpired,
    RefreshTokenInvalid,
    RefreshTokenReused,
    RefreshTokenRevoked,
)
from cmh_testing.users import UsersWorld

PASSWORD = "Analytical-Engine-1843"


async def _logged_in(world: UsersWorld) -> TokenPair:
    await world.registered()
    return await world.log_in()(email="ada@example.com", password=PASSWORD)


async def test_refresh_rotates_within_the_family(world: UsersWorld) -> None:
    first = await _logged_in(world)
    world.clock.advance(timedelta(minutes=10))

    second = await world.refresh().execute(refresh_token=first.refresh_token)

    assert second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token
    tokens = sorted(world.state.refresh_tokens.values(), key=lambda t: t.issued_at)
    assert len({t.family_id for t in tokens}) == 1
    assert tokens[0].replaced_by == tokens[1].id
    assert tokens[1].is_live(world.clock.now())


async def test_reusing_a_rotated_token_kills_the_whole_family(world: UsersWorld) -> None:
    first = await _logged_in(world)
    second = await world.refresh().execute(refresh_token=first.refresh_token)

    with pytest.raises(RefreshTokenReused) as error:
        await world.refresh().execute(refresh_token=first.refresh_token)

    assert error.value.code == "refresh_token_reused"
    assert all(t.revoked_at is not None for t in world.state.refresh_tokens.values())
    assert world.state.audit_log[-1].action is AuditAction.REFRESH_REUSE_DETECTED
    with pytest.raises(RefreshTokenRevoked):
        await world.refresh().execute(refresh_token=second.refresh_token)


async def test_reuse_in_one_family_leaves_other_logins_alone(world: UsersWorld) -> None:
    phone = await _logged_in(world)
    laptop = await world.log_in()(email="ada@example.com", password=PASSWORD)
    await world.refresh().execute(refresh_token=phone.refresh_token)
    with pytest.raises(RefreshTokenReused):
        await world.refresh().execute(refresh_token=phone.refresh_token)
    await world.refresh().execute(refresh_token=laptop.refresh_token)


async def test_a_concurrent_rotation_counts_as_reuse(world: UsersWorld) -> None:
    session = await _logged_in(world)
    # Both requests read the token before either stored its rotation.
    stale = await world.refresh_tokens.by_hash(
        next(iter(world.state.refresh_tokens.values())).token_hash
    )
    assert stale is not None
    await world.refresh().execute(refresh_token=session.refresh_token)
    user = world.stored(stale.user_id)
    with pytest.raises(RefreshTokenReused):
        await world.sessions.rotate(user, stale, now=world.clock.now())


async def test_expired_unknown_and_disabled(world: UsersWorld) -> None:
    session = await _logged_in(world)
    with pytest.raises(RefreshTokenInvalid):
        await world.refresh().execute(refresh_token="not-a-token")
    world.clock.advance(world.policy.refresh_ttl)
    with pytest.raises(RefreshTokenExpired):
        await world.refresh().execute(refresh_token=session.refresh_token)

    fresh = await world.log_in()(email="ada@example.com", password=PASSWORD)
    world.state.users[world.user_id_of(fresh)].disable(world.clock.now())
    with pytest.raises(AccountDisabled):
        await world.refresh().execute(refresh_token=fresh.refresh_token)


async def test_logout_closes_the_family_and_is_idempotent(world: UsersWorld) -> None:
    session = await _logged_in(world)
    rotated = await world.refresh().execute(refresh_token=session.refresh_token)

    await world.log_out().execute(refresh_token=rotated.refresh_token)
    await world.log_out().execute(refresh_token=rotated.refresh_token)
    await world.log_out().execute(refresh_token="unknown")

    assert all(t.revoked_at is not None for t in world.state.refresh_tokens.values())
    assert [e.action for e in world.state.audit_log].count(AuditAction.LOGGED_OUT) == 1
    with pytest.raises(RefreshTokenRevoked):
        await world.refresh().execute(refresh_token=rotated.refresh_token)
