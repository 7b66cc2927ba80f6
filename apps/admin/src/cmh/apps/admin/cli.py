"""``cmh-admin``: dead letters and replay, for operators (typer + rich).

Each command parses its options, calls one use case (``dead_letters``,
``outbox_replay``) over the Kafka and SQL adapters and prints what came back. An
``AdminError`` (an unknown topic, Kafka down) is printed as one sentence with what to do
next, with its exit code (2: the command was wrong; 1: a server did not answer).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cmh.apps.admin.dead_letters import DeadLetterAdmin, ProgressCallback
from cmh.apps.admin.kafka import REPLAY_GROUP, KafkaDeadLetters, KafkaReplayPublisher
from cmh.apps.admin.outbox import outbox_rows
from cmh.apps.admin.outbox_replay import ReplayOutboxRange
from cmh.apps.admin.ports import AdminError, ParkedMessage

T = TypeVar("T")

app = typer.Typer(
    name="cmh-admin",
    help="CloudMastersHub operations: dead letters and replay.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
dlq = typer.Typer(help="Dead-letter topics: list, show, replay.", no_args_is_help=True)
outbox_app = typer.Typer(help="A service's outbox: replay a range.", no_args_is_help=True)
app.add_typer(dlq, name="dlq")
app.add_typer(outbox_app, name="outbox")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

Bootstrap = Annotated[
    str,
    typer.Option(
        "--bootstrap",
        envvar="CMH_KAFKA__BOOTSTRAP_SERVERS",
        help="Kafka bootstrap servers.",
        show_default=True,
    ),
]
ReplayGroup = Annotated[
    str,
    typer.Option(
        "--replay-group", help="Consumer group that remembers how far `replay --all` got."
    ),
]
PREVIEW = 120


@app.callback()
def _quiet() -> None:
    # aiokafka logs every failed connection attempt: the error below says it once.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)


def _run(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    try:
        return asyncio.run(work())
    except AdminError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(exc.exit_code) from None


@contextmanager
def _progress(label: str) -> Iterator[ProgressCallback]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


async def _with_admin(
    bootstrap: str, group: str, use: Callable[[DeadLetterAdmin], Awaitable[T]]
) -> T:
    publisher = KafkaReplayPublisher(bootstrap)
    try:
        return await use(DeadLetterAdmin(KafkaDeadLetters(bootstrap, group), publisher))
    finally:
        await publisher.close()


@dlq.command("list")
def dlq_list(
    topic: Annotated[
        str | None, typer.Option("--topic", help="Only this topic (or its .dlq).")
    ] = None,
    bootstrap: Bootstrap = "127.0.0.1:9092",
) -> None:
    """Dead-letter topics and how many messages each holds."""
    topics = _run(lambda: _with_admin(bootstrap, REPLAY_GROUP, lambda a: a.topics(topic)))
    if not topics:
        out.print("no dead-letter topics: nothing has been parked")
        return
    table = Table("dead-letter topic", "messages")
    for name, count in topics.items():
        table.add_row(escape(name), str(count))
    out.print(table)


@dlq.command("show")
def dlq_show(
    topic: Annotated[str, typer.Argument(help="A dead-letter topic (… .dlq).")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 20,
    bootstrap: Bootstrap = "127.0.0.1:9092",
) -> None:
    """Each parked message: offset, reason, consumer, original headers, payload preview."""
    parked = _run(lambda: _with_admin(bootstrap, REPLAY_GROUP, lambda a: a.show(topic, limit)))
    if not parked:
        out.print(f"{escape(topic)} holds no message")
        return
    for message in parked:
        _print_parked(message)
    out.print(f"{len(parked)} message(s) shown (--limit {limit})")


def _print_parked(m: ParkedMessage) -> None:
    preview = m.payload[:PREVIEW].decode(errors="replace")
    more = "…" if len(m.payload) > PREVIEW else ""
    headers = ", ".join(f"{k}={v}" for k, v in sorted(m.original_headers.items()))
    out.print(
        f"[bold]partition {m.partition} offset {m.offset}[/]  {escape(m.event_type or '?')}  "
        f"id={escape(m.event_id or '?')}  key={escape(m.key)}\n"
        f"  topic:    {escape(m.original_topic)}\n"
        f"  consumer: {escape(m.consumer)}  attempts: {escape(m.attempts or '?')}\n"
        f"  reason:   {escape(m.reason)}\n"
        f"  headers:  {escape(headers)}\n"
        f"  payload:  {escape(preview)}{more}"
    )


@dlq.command("replay")
def dlq_replay(
    topic: Annotated[str, typer.Argument(help="A dead-letter topic (… .dlq).")],
    offset: Annotated[
        int | None, typer.Option("--offset", min=0, help="Replay the message at this offset.")
    ] = None,
    partition: Annotated[int, typer.Option("--partition", min=0, help="With --offset.")] = 0,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Replay every message of this event type.")
    ] = None,
    replay_all: Annotated[
        bool, typer.Option("--all", help="Replay what no earlier --all replayed.")
    ] = False,
    from_start: Annotated[
        bool, typer.Option("--from-start", help="With --all: every message, again.")
    ] = False,
    bootstrap: Bootstrap = "127.0.0.1:9092",
    group: ReplayGroup = REPLAY_GROUP,
) -> None:
    """Publish parked messages back to their topic, with their original key and headers
    (consumers skip events they handled: their inbox keeps the event ids)."""
    chosen = [offset is not None, event_type is not None, replay_all]
    if sum(chosen) != 1:
        err.print("[bold red]error:[/] choose exactly one of --offset N, --type TYPE, --all")
        raise typer.Exit(2)
    with _progress(f"replaying {topic}") as progress:

        async def replay(admin: DeadLetterAdmin) -> Any:
            if offset is not None:
                return await admin.replay_offset(topic, offset, partition)
            if event_type is not None:
                return await admin.replay_type(topic, event_type, progress)
            return await admin.replay_all(topic, progress, from_start=from_start)

        report = _run(lambda: _with_admin(bootstrap, group, replay))
    line = f"replayed {report.replayed} message(s) from {topic}"
    if report.already_replayed:
        line += f"; {report.already_replayed} left out, replayed before (--from-start: again)"
    out.print(line)


@outbox_app.command("replay")
def outbox_replay(
    database: Annotated[
        str,
        typer.Option(
            "--database", help="The service's database (SQLAlchemy async URL).", show_default=False
        ),
    ],
    first: Annotated[int, typer.Option("--from", min=0, help="First seq, included.")],
    last: Annotated[int, typer.Option("--to", min=0, help="Last seq, included.")],
    bootstrap: Bootstrap = "127.0.0.1:9092",
) -> None:
    """Publish a range of outbox rows again, marked as a replay, with their event ids."""
    with _progress(f"replaying outbox {first}..{last}") as progress:

        async def replay() -> Any:
            publisher = KafkaReplayPublisher(bootstrap)
            try:
                async with outbox_rows(database) as rows:
                    return await ReplayOutboxRange(rows, publisher)(first, last, progress)
            finally:
                await publisher.close()

        report = _run(replay)
    line = f"replayed {report.replayed} outbox row(s) ({first}..{last})"
    if report.not_yet_published:
        line += f"; {report.not_yet_published} not yet published, left to the relay"
    out.print(line)


def main() -> None:
    app()
