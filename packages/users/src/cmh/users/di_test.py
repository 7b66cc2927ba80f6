"""The providers compose into complete graphs for each profile (dishka validates the
graph when the container is built) and the in-memory family really keeps state."""

from collections.abc import AsyncIterator

import pytest
from dishka import AsyncContainer, make_async_container

from cmh.kernel.auth.authenticator import Authenticator, StampCheckingAuthenticator
from cmh.kernel.auth.revocation import BrieflyCachedTokenStamps, TokenStamps, TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.di import (
    ClockProvider,
    HttpClientProvider,
    InProcessBusProvider,
    LocalLeaseProvider,
    MemoryCacheProvider,
    MemoryTokenStampsProvider,
    RedisProvider,
    RedisTokenStampsProvider,
    SqlProvider,
)
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.settings import DatabaseSettings, RedisSettings
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.users.adapters.argon2_hasher import Argon2Parameters
from cmh.users.adapters.identity import Auth0IdentityProvider
from cmh.users.adapters.memory import MemoryUsersState
from cmh.users.adapters.redis_login_failures import RedisLoginFailures
from cmh.users.application.ports import IdentityProvider, LoginFailures
from cmh.users.application.register_user import RegisterUser
from cmh.users.di import (
    Auth0SsoProvider,
    LocalSsoProvider,
    MemoryLoginFailuresProvider,
    RecordingMailerProvider,
    RedisLoginFailuresProvider,
    UsersMemoryProvider,
    UsersSecurityProvider,
    UsersSqlProvider,
    UsersUseCasesProvider,
)
from cmh.users.settings import Auth0Settings, UsersSettings

CONTEXT = {TokenSettings: TokenSettings()}


@pytest.fixture
async def memory_container() -> AsyncIterator[tuple[AsyncContainer, MemoryUsersState]]:
    state = MemoryUsersState(InMemoryUnitOfWork())
    container = make_async_container(
        ClockProvider(),
        MemoryCacheProvider(),
        MemoryTokenStampsProvider(),
        UsersMemoryProvider(state),
        UsersUseCasesProvider(),
        UsersSecurityProvider(Argon2Parameters.for_tests()),
        MemoryLoginFailuresProvider(),
        RecordingMailerProvider(),
        LocalSsoProvider(),
        context={**CONTEXT, UsersSettings: UsersSettings()},
    )
    yield container, state
    await container.close()


async def test_the_memory_family_keeps_state_across_requests(
    memory_container: tuple[AsyncContainer, MemoryUsersState],
) -> None:
    container, state = memory_container
    async with container() as request:
        user = await (await request.get(RegisterUser)).execute(
            email="ada@example.com", password="Analytical-Engine-1843", display_name="Ada"
        )
    assert state.users[user.id].email.value == "ada@example.com"
    assert isinstance(await container.get(Authenticator), StampCheckingAuthenticator)


async def test_the_distributed_graph_builds_with_auth0(sqlite_url: str) -> None:
    settings = UsersSettings(
        auth0=Auth0Settings(domain="t.auth0.com", client_id="c", client_secret="s")
    )
    container = make_async_container(
        ClockProvider(),
        SqlProvider(),
        LocalLeaseProvider(),
        InProcessBusProvider(),
        RedisProvider(),
        RedisTokenStampsProvider(),
        HttpClientProvider(),
        UsersSqlProvider(),
        UsersUseCasesProvider(),
        UsersSecurityProvider(Argon2Parameters.for_tests()),
        RedisLoginFailuresProvider(),
        RecordingMailerProvider(),
        Auth0SsoProvider(),
        context={
            **CONTEXT,
            UsersSettings: settings,
            DatabaseSettings: DatabaseSettings(url=sqlite_url),
            InProcessBus: InProcessBus(),
            # Never dialled: building the graph does not connect.
            RedisSettings: RedisSettings(url="redis://127.0.0.1:1/0"),
            TokenStampSettings: TokenStampSettings(url="redis://127.0.0.1:1/0"),
        },
    )
    try:
        assert isinstance(await container.get(IdentityProvider), Auth0IdentityProvider)
        assert isinstance(await container.get(LoginFailures), RedisLoginFailures)
        assert isinstance(await container.get(TokenStamps), BrieflyCachedTokenStamps)
        async with container() as request:
            assert isinstance(await request.get(RegisterUser), RegisterUser)
    finally:
        await container.close()
