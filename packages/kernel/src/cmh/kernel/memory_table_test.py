import asyncio

import pytest

from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork


class Boom(Exception):
    pass


def table() -> tuple[InMemoryUnitOfWork, MemoryTable[str, str]]:
    uow = InMemoryUnitOfWork()
    return uow, MemoryTable(uow)


async def test_a_committed_write_is_kept() -> None:
    uow, rows = table()
    async with uow:
        rows.put("a", "one")
        await uow.commit()
    assert rows.get("a") == "one"
    assert rows.committed == {"a": "one"}


async def test_the_transaction_reads_its_own_writes_and_nobody_else_does() -> None:
    uow, rows = table()
    async with uow:
        rows.put("a", "one")
        assert rows.get("a") == "one"
        assert rows.items() == [("a", "one")]
        assert "a" in rows
        assert rows.committed == {}
    assert rows.get("a") is None


async def test_a_write_without_commit_is_gone_when_the_unit_of_work_ends() -> None:
    uow, rows = table()
    async with uow:
        rows.put("a", "one")
    async with uow:
        assert rows.get("a") is None
    assert rows.values() == []


async def test_an_exception_rolls_the_writes_back() -> None:
    uow, rows = table()
    async with uow:
        rows.put("a", "one")
        await uow.commit()

    async def failing_use_case() -> None:
        async with uow:
            rows.put("a", "two")
            rows.put("b", "three")
            rows.delete("a")
            raise Boom

    with pytest.raises(Boom):
        await failing_use_case()
    assert rows.items() == [("a", "one")]


async def test_deletes_and_rewrites_are_staged_too() -> None:
    uow, rows = table()
    async with uow:
        rows.put("a", "one")
        rows.put("b", "two")
        await uow.commit()
        rows.delete("a")
        rows.put("b", "deux")
        rows.put("c", "trois")
        assert rows.get("a") is None
        assert rows.items() == [("b", "deux"), ("c", "trois")]
        assert list(rows) == ["b", "c"]
        assert rows.committed == {"a": "one", "b": "two"}
        await uow.commit()
    assert rows.committed == {"b": "deux", "c": "trois"}


async def test_a_write_outside_a_unit_of_work_is_refused() -> None:
    uow, rows = table()
    with pytest.raises(RuntimeError, match="outside"):
        rows.put("a", "one")
    with pytest.raises(RuntimeError, match="outside"):
        await uow.commit()


async def test_concurrent_tasks_do_not_see_each_others_pending_writes() -> None:
    uow, rows = table()
    written, checked = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with uow:
            rows.put("a", "mine")
            written.set()
            await checked.wait()
            await uow.commit()

    async def reader() -> str | None:
        await written.wait()
        async with uow:
            seen = rows.get("a")
        checked.set()
        return seen

    _, seen = await asyncio.gather(writer(), reader())
    assert seen is None
    assert rows.get("a") == "mine"


async def test_events_and_inbox_claims_leave_only_with_the_commit() -> None:
    uow = InMemoryUnitOfWork()
    event = UserErasureRequestedV1(user_id="u-1")
    async with uow:
        uow.publish(event, subject="u-1")
        assert await uow.first_delivery("c", "e-1")
    assert uow.committed == []
    async with uow:
        assert await uow.first_delivery("c", "e-1")
        uow.publish(event, subject="u-1")
        await uow.commit()
    assert uow.committed == [event]
    assert uow.commits == 1
    async with uow:
        assert not await uow.first_delivery("c", "e-1")


async def test_a_use_case_inside_an_open_unit_joins_it() -> None:
    """What the consumer runner relies on: the handler's use case opens and commits the
    same unit of work; only the runner's commit keeps anything, the claim included."""
    uow, rows = table()
    event = UserErasureRequestedV1(user_id="u-1")
    async with uow:
        assert await uow.first_delivery("c", "e-1")
        async with uow:  # the use case
            rows.put("k", "v")
            uow.publish(event, subject="u-1")
            await uow.commit()
        assert uow.committed == []
        assert rows.get("k") == "v"  # its own transaction reads its writes
        await uow.commit()
    assert uow.committed == [event]
    assert rows.committed == {"k": "v"}


async def test_a_joined_use_case_failing_undoes_the_whole_unit() -> None:
    uow, rows = table()

    async def runner() -> None:
        async with uow:
            assert await uow.first_delivery("c", "e-1")
            async with uow:
                rows.put("k", "v")
                raise Boom("the handler failed")

    with pytest.raises(Boom):
        await runner()
    assert rows.committed == {}
    async with uow:
        assert await uow.first_delivery("c", "e-1")  # not claimed: it will be redelivered
