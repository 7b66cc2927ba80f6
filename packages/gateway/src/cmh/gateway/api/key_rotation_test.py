"""The gateway verifies tokens against the users service's JWKS: the whole attack set is
refused before any upstream sees it, and signing keys rotate while it runs: a key published
beside the old one is picked up on its first token, a retired one stops verifying, and a
flood of unknown key ids costs the users service at most one fetch per window."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from cmh.kernel.auth.tokens import SigningKey, TokenSettings
from cmh_testing.gateway.world import World, running_world
from cmh_testing.kernel.token_attacks import forged_access_tokens

PATH = "/api/v1/users/me/x"


async def _status(world: World, token: str) -> int:
    answer = await world.client.get(PATH, headers={"authorization": f"Bearer {token}"})
    return answer.status_code


async def _eventually(check: Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, f"not true within {timeout}s"
        await asyncio.sleep(0.05)


async def test_every_token_attack_is_refused_before_the_upstream(world: World) -> None:
    now = datetime.now(UTC)
    tokens = forged_access_tokens(world.key, world.tokens, "u-1", now)
    tokens["an opaque refresh token"] = secrets.token_urlsafe(32)
    erased = world.token("u-erased", now=now - timedelta(seconds=5))
    await world.stamps.stamp("u-erased", now)  # what users writes when the account is erased
    tokens["an erased account's token"] = erased
    assert await _status(world, world.token()) == 200  # the control: a real token passes
    before = world.users.api_hits
    answers = {attack: await _status(world, token) for attack, token in tokens.items()}
    accepted = {attack: status for attack, status in answers.items() if status != 401}
    print(f"\ngateway token attacks: {len(tokens)} attacks, {len(accepted)} accepted")
    assert not accepted
    assert world.users.api_hits == before


async def test_signing_keys_rotate_without_a_restart() -> None:
    quick = TokenSettings(jwks_min_refresh_seconds=0.2, jwks_max_age_seconds=0.5)
    async with running_world(tokens=quick) as world:
        old, new = world.key, SigningKey.generate()
        assert await _status(world, world.token("u-1", key=old)) == 200
        world.users.published = [old, new]  # 1. the next key published beside the old one
        fresh = iter(range(10_000))

        async def new_key_verifies() -> bool:  # 2. users signs with it: the gateway fetches
            return await _status(world, world.token(f"n-{next(fresh)}", key=new)) == 200

        await _eventually(new_key_verifies)
        assert await _status(world, world.token("u-2", key=old)) == 200  # both, meanwhile
        world.users.published = [new]  # 3. the old key retired

        async def old_key_refused() -> bool:
            return await _status(world, world.token(f"o-{next(fresh)}", key=old)) == 401

        await _eventually(old_key_refused)
        for n in range(10):  # and never accepted again
            assert await _status(world, world.token(f"late-{n}", key=old)) == 401
            assert await _status(world, world.token(f"now-{n}", key=new)) == 200


async def test_a_flood_of_unknown_key_ids_does_not_hammer_the_users_service(world: World) -> None:
    assert await _status(world, world.token()) == 200
    before = world.users.jwks_fetches
    for n in range(50):
        assert await _status(world, world.token(f"f-{n}", key=SigningKey.generate())) == 401
    fetched = world.users.jwks_fetches - before
    print(f"\n50 unknown key ids: {fetched} JWKS fetch(es)")
    assert fetched <= 1
