"""The single sign-on stores (attempts, identity links) behave alike in memory, on SQLite
and on PostgreSQL, so the fake cannot drift."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.clock import FrozenClock, UuidGenerator
from cmh.kernel.sql.engine import make_session_factory
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.users.adapters.conftest import migrated_engine
from cmh.users.adapters.memory import (
    MemoryIdentityLinkStore,
    MemorySsoAttemptStore,
    MemoryUserRepository,
    MemoryUsersState,
)
from cmh.users.adapters.sql.identity_links import SqlIdentityLinkStore
from cmh.users.adapters.sql.sso_attempts import SqlSsoAttemptStore
from cmh.users.adapters.sql.users import SqlUserRepository
from cmh.users.application.integration_events import USERS_EVENTS
from cmh.users.application.ports import IdentityLinkStore, SsoAttemptStore, UserRepository
from cmh.users.domain.display_name import DisplayName
from cmh.users.domain.email import Email
from cmh.users.domain.identity_link import IdentityLink
from cmh.users.domain.sso_attempt import SsoAttempt
from cmh.users.domain.user import User

T0 = datetime(2026, 3, 4, 5, 6, 7, 891_011, tzinfo=UTC)
TTL = timedelta(minutes=10)


@dataclass
class Stores:
    users: UserRepository
    attempts: SsoAttemptStore
    links: IdentityLinkStore
    commit: Callable[[], Awaitable[None]]


Transaction = Callable[[], contextlib.AbstractAsyncContextManager[Stores]]


@pytest.fixture
async def transaction(backend_url: str | None) -> AsyncIterator[Transaction]:
    if backend_url is None:
        state = MemoryUsersState(InMemoryUnitOfWork(events=USERS_EVENTS))

        @contextlib.asynccontextmanager
        async def in_memory() -> AsyncIterator[Stores]:
            async with state.uow as uow:
                yield Stores(
                    MemoryUserRepository(state),
                    MemorySsoAttemptStore(state),
                    MemoryIdentityLinkStore(state),
                    uow.commit,
                )

        yield in_memory
        return
    engine = await migrated_engine(backend_url)
    sessions = make_session_factory(engine)

    @contextlib.asynccontextmanager
    async def in_sql() -> AsyncIterator[Stores]:
        async with sessions() as session:
            yield Stores(
                SqlUserRepository(session, _unit_of(session)),
                SqlSsoAttemptStore(session),
                SqlIdentityLinkStore(session),
                session.commit,
            )

    try:
        yield in_sql
    finally:
        await engine.dispose()


def _attempt(attempt_id: str = "a-1", *, now: datetime = T0) -> SsoAttempt:
    return SsoAttempt.start(
        attempt_id=attempt_id,
        state_hash=f"state-{attempt_id}",
        redirect_uri="https://app.example.com/callback",
        code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        now=now,
        ttl=TTL,
    )


async def _account(transaction: Transaction, user_id: str = "u-1") -> None:
    async with transaction() as stores:
        await stores.users.add(
            User.register(
                user_id=user_id,
                email=Email.parse(f"{user_id}@example.com"),
                display_name=DisplayName.parse("Ada"),
                password_hash=None,
                now=T0,
            )
        )
        await stores.commit()


async def test_an_attempt_is_found_by_its_state_and_spent_once(transaction: Transaction) -> None:
    async with transaction() as stores:
        await stores.attempts.add(_attempt())
        await stores.commit()
    async with transaction() as stores:
        found = await stores.attempts.by_state_hash("state-a-1")
        assert found == _attempt()
        assert await stores.attempts.by_state_hash("state-nope") is None
        assert found is not None
        found.used_at = T0 + timedelta(seconds=5)
        await stores.attempts.save(found)
        await stores.commit()
    async with transaction() as stores:
        again = await stores.attempts.by_state_hash("state-a-1")
        assert again is not None
        assert again.used_at == T0 + timedelta(seconds=5)


async def test_expired_attempts_are_discarded(transaction: Transaction) -> None:
    async with transaction() as stores:
        await stores.attempts.add(_attempt("old"))
        await stores.attempts.add(_attempt("new", now=T0 + TTL))
        await stores.attempts.discard_expired(T0 + TTL)
        await stores.commit()
    async with transaction() as stores:
        assert await stores.attempts.by_state_hash("state-old") is None
        assert await stores.attempts.by_state_hash("state-new") is not None


async def test_a_link_is_kept_per_provider_and_subject(transaction: Transaction) -> None:
    await _account(transaction, "u-1")
    await _account(transaction, "u-2")
    proposed = IdentityLink.proposed(
        provider="auth0", subject="github|7", user_id="u-1", token_hash="t1", now=T0, ttl=TTL
    )
    async with transaction() as stores:
        await stores.links.save(proposed)
        await stores.links.save(
            IdentityLink.confirmed(provider="auth0", subject="github|8", user_id="u-2", now=T0)
        )
        await stores.commit()
    async with transaction() as stores:
        assert await stores.links.get("auth0", "github|7") == proposed
        assert await stores.links.by_token_hash("t1") == proposed
        assert await stores.links.get("local", "github|7") is None
        # A newer proposal for the same identity replaces the older one.
        replaced = IdentityLink.proposed(
            provider="auth0", subject="github|7", user_id="u-2", token_hash="t2", now=T0, ttl=TTL
        )
        await stores.links.save(replaced)
        await stores.commit()
    async with transaction() as stores:
        assert await stores.links.by_token_hash("t1") is None
        link = await stores.links.by_token_hash("t2")
        assert link == replaced
        assert link is not None
        link.confirm(T0 + timedelta(seconds=1))
        await stores.links.save(link)
        await stores.commit()
    async with transaction() as stores:
        confirmed = await stores.links.get("auth0", "github|7")
        assert confirmed is not None
        assert (confirmed.user_id, confirmed.is_confirmed, confirmed.token_hash) == (
            "u-2",
            True,
            None,
        )
        await stores.links.remove_all_of("u-2")
        await stores.commit()
    async with transaction() as stores:
        assert await stores.links.get("auth0", "github|7") is None
        assert await stores.links.get("auth0", "github|8") is None


async def test_writes_without_commit_are_gone_and_a_rollback_keeps_what_was_committed(
    transaction: Transaction,
) -> None:
    await _account(transaction, "u-1")
    link = IdentityLink.confirmed(provider="auth0", subject="github|7", user_id="u-1", now=T0)
    async with transaction() as stores:
        await stores.attempts.add(_attempt("forgotten"))
        await stores.links.save(link)
        assert await stores.attempts.by_state_hash("state-forgotten") is not None  # own write
    async with transaction() as stores:
        assert await stores.attempts.by_state_hash("state-forgotten") is None
        assert await stores.links.get("auth0", "github|7") is None
        await stores.attempts.add(_attempt("kept"))
        await stores.links.save(link)
        await stores.commit()

    class Boom(Exception):
        pass

    async def failing_use_case() -> None:
        async with transaction() as stores:
            await stores.attempts.discard_expired(T0 + TTL)
            await stores.links.remove_all_of("u-1")
            raise Boom

    with pytest.raises(Boom):
        await failing_use_case()
    async with transaction() as stores:
        assert await stores.attempts.by_state_hash("state-kept") is not None
        assert await stores.links.get("auth0", "github|7") == link


def _unit_of(session: AsyncSession) -> SqlUnitOfWork:
    """What the repository hands saved users to (these tests commit the session itself)."""
    return SqlUnitOfWork(
        session, FrozenClock(), UuidGenerator(), "test", OutboxWakeup(), USERS_EVENTS
    )
