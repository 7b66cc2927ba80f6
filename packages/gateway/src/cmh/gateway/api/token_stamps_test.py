"""A disabled or erased account's access token is refused by the gateway at once, not at
its expiry: the users service's "tokens not before" stamp is checked on every request,
even for a token whose signature check is cached."""

from datetime import UTC, datetime, timedelta

from cmh_testing.gateway.world import World


async def test_a_stamped_users_token_is_refused_at_once(world: World) -> None:
    issued = datetime.now(UTC) - timedelta(seconds=5)
    token = world.auth(user_id="u-9", now=issued)
    other = world.auth(user_id="u-10", now=issued)
    assert (await world.client.get("/api/v1/users/me/x", headers=token)).status_code == 200

    await world.stamps.stamp("u-9", issued + timedelta(seconds=1))  # users disabled u-9

    before = world.users.api_hits
    refused = await world.client.get("/api/v1/users/me/x", headers=token)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_revoked"
    assert world.users.api_hits == before  # never reached the upstream
    assert (await world.client.get("/api/v1/users/me/x", headers=other)).status_code == 200
    # A token issued after the stamp (the account enabled again, a new login) passes.
    fresh = world.auth(user_id="u-9", now=issued + timedelta(seconds=2))
    assert (await world.client.get("/api/v1/users/me/x", headers=fresh)).status_code == 200
