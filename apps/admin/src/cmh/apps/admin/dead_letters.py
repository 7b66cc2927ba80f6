"""Dead letters: list the topics, show what is parked, replay it after a fix.

A replay publishes the parked payload with its original key and headers back to the
topic it came from (``x-replay`` says it is one). The event keeps its id, so a consumer
that handled it before skips it (its inbox): replaying twice has one effect.

``replay_all`` remembers how far it got (the replay consumer group's committed offsets),
so running it again replays only what was parked since; ``replay_offset`` and
``replay_type`` are explicit choices and replay whatever they select, every time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cmh.apps.admin.ports import DeadLetterStore, NotFound, ParkedMessage, UnknownTopic
from cmh.kernel.messaging import dead_letters
from cmh.kernel.messaging.ports import EventPublisher, OutgoingMessage

# Called with (done, total) as a replay goes: the CLI's progress bar.
ProgressCallback = Callable[[int, int], None]
PUBLISH_BATCH = 500


def no_progress(_done: int, _total: int) -> None:
    return None


@dataclass(frozen=True, slots=True)
class ReplayReport:
    topic: str
    replayed: int
    # ``replay_all``: how many were left out because an earlier replay published them.
    already_replayed: int = 0


class DeadLetterAdmin:
    def __init__(self, store: DeadLetterStore, publisher: EventPublisher) -> None:
        self._store = store
        self._publisher = publisher

    async def topics(self, topic: str | None = None) -> dict[str, int]:
        found = await self._store.dead_letter_topics()
        if topic is None:
            return dict(sorted(found.items()))
        name = topic if dead_letters.is_dead_letter_topic(topic) else f"{topic}.dlq"
        if name not in found:
            raise self._unknown(topic, found)
        return {name: found[name]}

    async def show(self, topic: str, limit: int = 20) -> Sequence[ParkedMessage]:
        await self._known(topic)
        return list(await self._store.read(topic))[:limit]

    async def replay_offset(self, topic: str, offset: int, partition: int = 0) -> ReplayReport:
        await self._known(topic)
        chosen = [
            m
            for m in await self._store.read(topic, {partition: offset})
            if m.partition == partition and m.offset == offset
        ]
        if not chosen:
            raise NotFound(
                f"{topic} has no message at partition {partition}, offset {offset}: "
                f"`cmh-admin dlq show {topic}` lists the offsets it holds"
            )
        await self._publish(chosen, no_progress)
        return ReplayReport(topic, 1)

    async def replay_type(
        self, topic: str, event_type: str, progress: ProgressCallback = no_progress
    ) -> ReplayReport:
        await self._known(topic)
        chosen = [m for m in await self._store.read(topic) if m.event_type == event_type]
        await self._publish(chosen, progress)
        return ReplayReport(topic, len(chosen))

    async def replay_all(
        self, topic: str, progress: ProgressCallback = no_progress, *, from_start: bool = False
    ) -> ReplayReport:
        parked = await self._known(topic)
        cursor = {} if from_start else await self._store.cursor(topic)
        ends = await self._store.ends(topic)
        chosen = [
            m for m in await self._store.read(topic, cursor) if m.offset < ends.get(m.partition, 0)
        ]
        await self._publish(chosen, progress)
        await self._store.advance(topic, ends)
        return ReplayReport(topic, len(chosen), already_replayed=max(parked - len(chosen), 0))

    async def _publish(self, chosen: Sequence[ParkedMessage], progress: ProgressCallback) -> None:
        total = len(chosen)
        progress(0, total)
        for at in range(0, total, PUBLISH_BATCH):
            batch = chosen[at : at + PUBLISH_BATCH]
            await self._publisher.publish([replay_message(m) for m in batch])
            progress(at + len(batch), total)

    async def _known(self, topic: str) -> int:
        """How many messages the dead-letter topic holds; ``UnknownTopic`` if none exists."""
        if not dead_letters.is_dead_letter_topic(topic):
            raise UnknownTopic(
                f"{topic} is not a dead-letter topic (they end in .dlq): "
                f"`cmh-admin dlq list` shows them"
            )
        found = await self._store.dead_letter_topics()
        if topic not in found:
            raise self._unknown(topic, found)
        return found[topic]

    @staticmethod
    def _unknown(topic: str, found: dict[str, int]) -> UnknownTopic:
        hint = (
            "`cmh-admin dlq list` shows the ones there are"
            if found
            else "no dead-letter topic exists yet (nothing was parked)"
        )
        return UnknownTopic(f"no dead-letter topic {topic}: {hint}")


def replay_message(parked: ParkedMessage) -> OutgoingMessage:
    """The parked message as it was first published, marked as a replay."""
    return OutgoingMessage(
        topic=parked.original_topic,
        key=parked.key,
        payload=parked.payload,
        headers={
            **parked.original_headers,
            dead_letters.REPLAY: "dlq",
            dead_letters.REPLAY_OF: parked.position,
        },
    )
