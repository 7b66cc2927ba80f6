"""The Users module composes, strictly validated, in every profile, with the adapters
each profile promises; the memory profile keeps state across requests."""

from pathlib import Path

from cmh.kernel.auth.authenticator import Authenticator, StampCheckingAuthenticator
from cmh.kernel.auth.revocation import BrieflyCachedTokenStamps, TokenStamps, TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.health import HealthChecks
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, KafkaSettings, RedisSettings
from cmh.users.adapters.dev_mail_sink import FileMailSink
from cmh.users.adapters.identity import Auth0IdentityProvider, LocalIdentityProvider
from cmh.users.adapters.memory import MemoryUsersState
from cmh.users.adapters.redis_login_failures import RedisLoginFailures
from cmh.users.application.ports import AccountMailer, IdentityProvider, LoginFailures
from cmh.users.application.register_user import RegisterUser
from cmh.users.module import UsersModule
from cmh.users.settings import Auth0Settings, UsersSettings
from cmh_testing.users.app import CHEAP_HASHING

NOWHERE = "redis://127.0.0.1:1/0"  # never dialled: building the graph does not connect


async def test_the_memory_profile_keeps_state_across_requests() -> None:
    container = compose(
        Profile.MEMORY,
        [UsersModule()],
        overrides=[CHEAP_HASHING],
        context={TokenSettings: TokenSettings(), UsersSettings: UsersSettings()},
    )
    async with container() as request:
        account = await (await request.get(RegisterUser)).execute(
            email="ada@example.com", password="Analytical-Engine-1843", display_name="Ada"
        )
    state = await container.get(MemoryUsersState)
    assert state.users[account.id].email.value == "ada@example.com"
    assert isinstance(await container.get(Authenticator), StampCheckingAuthenticator)
    await container.close()


async def test_the_embedded_profile_uses_the_local_stand_ins(tmp_path: Path) -> None:
    mail = tmp_path / "mail.jsonl"
    container = compose(
        Profile.EMBEDDED,
        [UsersModule()],
        context={
            TokenSettings: TokenSettings(),
            UsersSettings: UsersSettings(dev_mail_file=str(mail)),
            DatabaseSettings: DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'u.db'}"),
            InProcessBus: InProcessBus(),
        },
    )
    assert isinstance(await container.get(IdentityProvider), LocalIdentityProvider)
    assert isinstance(await container.get(AccountMailer), FileMailSink)
    assert [c.name for c in (await container.get(HealthChecks)).checks] == ["database"]
    await container.close()


async def test_the_distributed_profile_uses_auth0_redis_and_kafka(sqlite_url: str) -> None:
    settings = UsersSettings(
        auth0=Auth0Settings(domain="t.auth0.com", client_id="c", client_secret="s")
    )
    container = compose(
        Profile.DISTRIBUTED,
        [UsersModule()],
        context={
            TokenSettings: TokenSettings(),
            UsersSettings: settings,
            DatabaseSettings: DatabaseSettings(url=sqlite_url),
            KafkaSettings: KafkaSettings(),
            RedisSettings: RedisSettings(url=NOWHERE),
            TokenStampSettings: TokenStampSettings(url=NOWHERE),
        },
    )
    try:
        assert isinstance(await container.get(IdentityProvider), Auth0IdentityProvider)
        assert isinstance(await container.get(LoginFailures), RedisLoginFailures)
        assert isinstance(await container.get(TokenStamps), BrieflyCachedTokenStamps)
        health = await container.get(HealthChecks)
        assert [c.name for c in health.checks] == ["database", "redis"]
        assert [c.name for c in health.signals] == ["broker"]
        async with container() as request:
            assert isinstance(await request.get(RegisterUser), RegisterUser)
    finally:
        await container.close()
