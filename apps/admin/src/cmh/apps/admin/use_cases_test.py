"""The use cases over in-memory ports (no servers): what is selected, what is skipped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from cmh.apps.admin.dead_letters import DeadLetterAdmin, replay_message
from cmh.apps.admin.outbox_replay import ReplayOutboxRange
from cmh.apps.admin.ports import NotFound, OutboxRow, ParkedMessage, UnknownTopic
from cmh.kernel.messaging import dead_letters
from cmh.kernel.messaging.ports import OutgoingMessage


class MemoryDeadLetters:
    def __init__(self, messages: Sequence[ParkedMessage]) -> None:
        self.messages = list(messages)
        self.positions: dict[str, dict[int, int]] = {}

    async def dead_letter_topics(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in self.messages:
            counts[m.topic] = counts.get(m.topic, 0) + 1
        return counts

    async def read(
        self, topic: str, start: Mapping[int, int] | None = None
    ) -> Sequence[ParkedMessage]:
        start = start or {}
        return [
            m for m in self.messages if m.topic == topic and m.offset >= start.get(m.partition, 0)
        ]

    async def ends(self, topic: str) -> dict[int, int]:
        ends: dict[int, int] = {}
        for m in self.messages:
            if m.topic == topic:
                ends[m.partition] = max(ends.get(m.partition, 0), m.offset + 1)
        return ends

    async def cursor(self, topic: str) -> dict[int, int]:
        return dict(self.positions.get(topic, {}))

    async def advance(self, topic: str, positions: Mapping[int, int]) -> None:
        self.positions[topic] = dict(positions)


class Published:
    def __init__(self) -> None:
        self.messages: list[OutgoingMessage] = []

    async def publish(self, messages: Sequence[OutgoingMessage]) -> None:
        self.messages.extend(messages)


def _parked(offset: int, event_type: str = "t.a") -> ParkedMessage:
    return ParkedMessage(
        topic="orders.dlq",
        partition=0,
        offset=offset,
        key=f"k{offset}",
        payload=b"{}",
        headers={"ce_id": f"e{offset}", "ce_type": event_type, dead_letters.REASON: "boom"},
    )


async def test_replay_all_remembers_how_far_it_got() -> None:
    store = MemoryDeadLetters([_parked(0), _parked(1, "t.b")])
    bus = Published()
    admin = DeadLetterAdmin(store, bus)
    progress: list[tuple[int, int]] = []
    first = await admin.replay_all("orders.dlq", lambda d, t: progress.append((d, t)))
    assert (first.replayed, progress[-1]) == (2, (2, 2))
    store.messages.append(_parked(2))
    second = await admin.replay_all("orders.dlq")
    assert (second.replayed, second.already_replayed) == (1, 2)
    assert (await admin.replay_all("orders.dlq", from_start=True)).replayed == 3
    assert (await admin.replay_type("orders.dlq", "t.b")).replayed == 1
    assert [m.headers["ce_id"] for m in bus.messages] == ["e0", "e1", "e2", "e0", "e1", "e2", "e1"]
    assert {m.topic for m in bus.messages} == {"orders"}


async def test_unknown_or_wrong_topics_and_offsets_are_refused() -> None:
    admin = DeadLetterAdmin(MemoryDeadLetters([_parked(0)]), Published())
    with pytest.raises(UnknownTopic, match=r"end in \.dlq"):
        await admin.show("orders")
    with pytest.raises(UnknownTopic, match="cmh-admin dlq list"):
        await admin.replay_all("payments.dlq")
    with pytest.raises(NotFound, match=r"cmh-admin dlq show orders\.dlq"):
        await admin.replay_offset("orders.dlq", 5)
    assert await admin.topics("orders") == {"orders.dlq": 1}


def test_a_replayed_message_is_the_original_marked_as_a_replay() -> None:
    message = replay_message(_parked(3))
    assert (message.topic, message.key) == ("orders", "k3")
    assert message.headers == {
        "ce_id": "e3",
        "ce_type": "t.a",
        dead_letters.REPLAY: "dlq",
        dead_letters.REPLAY_OF: "orders.dlq:0:3",
    }


class MemoryOutbox:
    def __init__(self, rows: Sequence[OutboxRow]) -> None:
        self.rows = rows

    async def count(self, first: int, last: int) -> int:
        return sum(1 for r in self.rows if first <= r.seq <= last)

    async def read(self, first: int, last: int, limit: int) -> Sequence[OutboxRow]:
        return [r for r in self.rows if first <= r.seq <= last][:limit]


async def test_an_outbox_range_is_replayed_in_batches_and_leaves_pending_rows_to_the_relay() -> (
    None
):
    rows = [
        OutboxRow(seq, f"e{seq}", "orders", f"k{seq}", "t.a", b"{}", published=seq < 9)
        for seq in range(1, 10)
    ]
    bus = Published()
    report = await ReplayOutboxRange(MemoryOutbox(rows), bus, batch_size=2)(2, 9)
    assert (report.replayed, report.not_yet_published) == (7, 1)
    assert [m.headers["ce_id"] for m in bus.messages] == [f"e{n}" for n in range(2, 9)]
    assert bus.messages[0].headers[dead_letters.REPLAY_OF] == "outbox:2"
    with pytest.raises(NotFound, match="after --to"):
        await ReplayOutboxRange(MemoryOutbox(rows), bus)(5, 1)
