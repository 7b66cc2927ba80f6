"""A registration and its ``user.registered`` event are one transaction: both are
committed together, or neither is."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from cmh.contracts.events.base import decode_envelope
from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.clock import FrozenClock, IdGenerator, UuidGenerator
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.tables import outbox
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.users.adapters.argon2_hasher import Argon2Parameters, Argon2PasswordHasher
from cmh.users.adapters.mailer import RecordingMailer
from cmh.users.adapters.random_secrets import UrlSafeSecrets
from cmh.users.adapters.sql import USERS_MIGRATIONS
from cmh.users.adapters.sql.audit_log import SqlAuditLog
from cmh.users.adapters.sql.one_time_tokens import SqlOneTimeTokenStore
from cmh.users.adapters.sql.tables import accounts
from cmh.users.adapters.sql.users import SqlUserRepository
from cmh.users.application.auditing import Auditor
from cmh.users.application.integration_events import USERS_EVENTS
from cmh.users.application.mailed_tokens import MailedTokens
from cmh.users.application.policy import AccountPolicy
from cmh.users.application.register_user import RegisterUser

HASHER = Argon2PasswordHasher(Argon2Parameters.for_tests())


class SameId:
    """Always the same id: makes the outbox insert collide with an existing row."""

    def new_id(self) -> str:
        return "evt-collides"


def _register(session: AsyncSession, event_ids: IdGenerator) -> RegisterUser:
    clock, ids = FrozenClock(), UuidGenerator()
    uow = SqlUnitOfWork(
        session, clock, event_ids, "cloudmastershub/users", OutboxWakeup(), USERS_EVENTS
    )
    return RegisterUser(
        uow,
        SqlUserRepository(session, uow),
        HASHER,
        MailedTokens(SqlOneTimeTokenStore(session), UrlSafeSecrets(), ids),
        RecordingMailer(),
        Auditor(SqlAuditLog(session), ids),
        clock,
        ids,
        AccountPolicy(),
    )


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(DatabaseSettings(url=database_url))
    await upgrade(engine, [KERNEL_MIGRATIONS, USERS_MIGRATIONS])
    yield engine
    await engine.dispose()


async def test_the_user_and_its_event_commit_together(engine: AsyncEngine) -> None:
    async with make_session_factory(engine)() as session:
        user = await _register(session, UuidGenerator()).execute(
            email="outbox-ok@example.com", password="Analytical-Engine-1843", display_name="Ada"
        )

    async with engine.connect() as conn:
        rows = (await conn.execute(select(outbox).where(outbox.c.key == user.id))).mappings().all()
        stored = await conn.scalar(
            select(func.count()).select_from(accounts).where(accounts.c.id == user.id)
        )
    assert stored == 1
    [row] = rows
    assert (row["topic"], row["event_type"], row["published_at"]) == (
        "users.user",
        "user.registered",
        None,
    )
    envelope = decode_envelope(row["payload"])
    assert envelope.subject == user.id
    assert envelope.decode(UserRegisteredV1).email == "outbox-ok@example.com"


async def test_a_failed_commit_leaves_neither_user_nor_event(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            insert(outbox).values(
                event_id="evt-collides",
                topic="t",
                key="k",
                event_type="x",
                payload=b"{}",
                created_at=FrozenClock().now(),
                attempts=0,
            )
        )
        events_before = await conn.scalar(select(func.count()).select_from(outbox))

    async with make_session_factory(engine)() as session:
        with pytest.raises(IntegrityError):
            await _register(session, SameId()).execute(
                email="outbox-fail@example.com",
                password="Analytical-Engine-1843",
                display_name="Ada",
            )

    async with engine.connect() as conn:
        users = await conn.scalar(
            select(func.count())
            .select_from(accounts)
            .where(accounts.c.email == "outbox-fail@example.com")
        )
        events = await conn.scalar(select(func.count()).select_from(outbox))
    assert users == 0
    assert events == events_before
