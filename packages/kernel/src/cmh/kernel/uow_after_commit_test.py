"""After-commit actions of both units of work: run once the outermost transaction commits
(a use case joined to a consumer's unit waits for the consumer's commit), never after a
rollback; a failing action leaves the SQL commit standing."""

from __future__ import annotations

from pathlib import Path

from cmh.kernel.clock import FrozenClock, SequentialIds
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.sql.outbox import OutboxWakeup
from cmh.kernel.sql.uow import SqlUnitOfWork
from cmh.kernel.uow import InMemoryUnitOfWork


async def test_the_memory_unit_runs_actions_after_the_outermost_commit_only() -> None:
    uow = InMemoryUnitOfWork()
    ran: list[str] = []

    async def note(name: str) -> None:
        ran.append(name)

    async with uow:  # the consumer's unit
        async with uow:  # a use case joining it
            uow.after_commit(lambda: note("joined"))
            await uow.commit()
            assert ran == []
        await uow.commit()
    assert ran == ["joined"]
    async with uow:
        uow.after_commit(lambda: note("rolled back"))
    assert ran == ["joined"]


async def test_the_sql_unit_runs_actions_after_commit_and_a_failing_one_is_logged(
    tmp_path: Path,
) -> None:
    engine = make_engine(DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'k.db'}"))
    await upgrade(engine, [KERNEL_MIGRATIONS])
    session = make_session_factory(engine)()
    uow = SqlUnitOfWork(session, FrozenClock(), SequentialIds(), "test", OutboxWakeup())
    ran: list[str] = []

    async def note(name: str) -> None:
        ran.append(name)

    async def fail() -> None:
        raise RuntimeError("the push server is down")

    async with uow:
        async with uow:
            assert await uow.first_delivery("c", "e1")
            uow.after_commit(fail)
            uow.after_commit(lambda: note("after"))
            await uow.commit()
            assert ran == []
        await uow.commit()
    assert ran == ["after"]
    async with uow:
        assert not await uow.first_delivery("c", "e1")  # the claim was committed
        uow.after_commit(lambda: note("never"))
    assert ran == ["after"]
    await session.close()
    await engine.dispose()
