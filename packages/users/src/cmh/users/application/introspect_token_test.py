from datetime import timedelta

import pytest

from cmh.kernel.errors import Forbidden
from cmh.users.domain.roles import service_principal
from cmh.users.domain.tier import Tier
from cmh_testing.users import UsersWorld

PASSWORD = "Analytical-Engine-1843"
GATEWAY = service_principal("gateway")


async def test_a_good_token_is_active_with_current_roles_and_tier(world: UsersWorld) -> None:
    user = await world.registered()
    session = await world.log_in()(email="ada@example.com", password=PASSWORD)
    await world.change_tier().execute(
        service_principal("payments"), user.id, tier="pro", reason="upgrade"
    )

    result = await world.introspect().execute(GATEWAY, token=session.access_token)

    assert result.active
    assert result.sub == user.id
    claims = world.access_tokens.inspect(session.access_token, now=world.clock.now())
    assert claims.principal.tier == Tier.FREE.value  # frozen in the token...
    assert result.tier == Tier.PRO.value  # ...but introspection answers the current one
    assert result.roles == ["learner"]
    assert result.jti == claims.principal.token_id
    assert result.exp == int(claims.expires_at.timestamp())


async def test_expired_garbage_and_disabled_are_inactive(world: UsersWorld) -> None:
    user = await world.registered()
    session = await world.log_in()(email="ada@example.com", password=PASSWORD)
    assert not (await world.introspect().execute(GATEWAY, token="garbage")).active

    world.state.users[user.id].disable(world.clock.now())
    assert not (await world.introspect().execute(GATEWAY, token=session.access_token)).active

    world.state.users[user.id].enable(world.clock.now())
    world.clock.advance(timedelta(seconds=world.token_settings.access_ttl_seconds + 60))
    assert not (await world.introspect().execute(GATEWAY, token=session.access_token)).active


async def test_service_tokens_are_active_without_an_account(world: UsersWorld) -> None:
    principal = service_principal("labs")
    token = world.access_tokens.issue_access(principal, now=world.clock.now(), token_id="svc-1")
    result = await world.introspect().execute(GATEWAY, token=token)
    assert result.active
    assert result.roles == ["service"]
    assert result.tier is None


async def test_only_services_may_introspect(world: UsersWorld) -> None:
    user = await world.registered()
    session = await world.log_in()(email="ada@example.com", password=PASSWORD)
    admin = await world.admin()
    for caller in (user.principal(token_id="t-1"), admin):
        with pytest.raises(Forbidden) as refused:
            await world.introspect().execute(caller, token=session.access_token)
        assert refused.value.code == "service_only"
