"""``cmh-admin`` through typer's CliRunner: the happy path on real Kafka, and errors that
say what to do next (never a traceback)."""

from __future__ import annotations

import asyncio

import pytest
from typer.testing import CliRunner

from cmh.apps.admin.cli import app
from cmh.kernel.messaging import dead_letters
from cmh.kernel.messaging.ports import dead_letter_topic
from cmh_testing.kernel.kafka_topics import create_topics, headers_of, read_topic
from cmh_testing.kernel.servers import kafka_bootstrap, unique_name

runner = CliRunner()
# Nothing listens there: Kafka "down".
NOWHERE = "127.0.0.1:9"


def _park(bootstrap: str, topic: str) -> None:
    from cmh.apps.admin.kafka import KafkaReplayPublisher

    async def park() -> None:
        await create_topics(bootstrap, topic, dead_letter_topic(topic))
        publisher = KafkaReplayPublisher(bootstrap)
        try:
            await publisher.publish(
                [
                    dead_letters.dead_letter(
                        topic=topic,
                        consumer="test.cli",
                        key="k-1",
                        payload=b'{"id":"evt-1","type":"test.cli_event","data":{"n":1}}',
                        reason="KeyError('n')",
                        attempts=3,
                        headers={"ce_id": "evt-1", "ce_type": "test.cli_event"},
                    )
                ]
            )
        finally:
            await publisher.close()

    asyncio.run(park())


@pytest.mark.integration
def test_list_show_and_replay_a_parked_message() -> None:
    bootstrap = kafka_bootstrap()
    topic = unique_name("test.cli")
    dlq = dead_letter_topic(topic)
    _park(bootstrap, topic)
    kafka = ["--bootstrap", bootstrap]

    listed = runner.invoke(app, ["dlq", "list", "--topic", topic, *kafka])
    assert listed.exit_code == 0, listed.output
    assert dlq in listed.output
    assert "│ 1" in listed.output

    shown = runner.invoke(app, ["dlq", "show", dlq, *kafka])
    assert shown.exit_code == 0, shown.output
    for expected in ("offset 0", "test.cli_event", "KeyError('n')", "test.cli", "ce_id=evt-1"):
        assert expected in shown.output

    group = ["--replay-group", unique_name("test.cli_replay")]
    replayed = runner.invoke(app, ["dlq", "replay", dlq, "--all", *group, *kafka])
    assert replayed.exit_code == 0, replayed.output
    assert "replayed 1 message(s)" in replayed.output
    again = runner.invoke(app, ["dlq", "replay", dlq, "--all", *group, *kafka])
    assert "replayed 0 message(s)" in again.output
    assert "1 left out, replayed before" in again.output

    [record] = asyncio.run(read_topic(bootstrap, topic, at_least=1))
    headers = headers_of(record)
    assert (record.key, headers["ce_id"], headers[dead_letters.REPLAY]) == (b"k-1", "evt-1", "dlq")
    assert not any(k.startswith(dead_letters.DLQ_HEADER_PREFIX) for k in headers)


@pytest.mark.integration
def test_an_unknown_topic_says_what_to_do_next() -> None:
    result = runner.invoke(
        app, ["dlq", "show", unique_name("test.none") + ".dlq", "--bootstrap", kafka_bootstrap()]
    )
    assert result.exit_code == 2
    assert "cmh-admin dlq list" in result.output
    assert "Traceback" not in result.output


def test_kafka_down_is_a_clear_error() -> None:
    for command in (["dlq", "list"], ["dlq", "replay", "x.dlq", "--all"]):
        result = runner.invoke(app, [*command, "--bootstrap", NOWHERE])
        assert result.exit_code == 1, result.output
        assert f"Kafka at {NOWHERE} did not answer" in result.output
        assert "make infra-up" in result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_replay_wants_exactly_one_selection() -> None:
    result = runner.invoke(app, ["dlq", "replay", "x.dlq", "--all", "--offset", "3"])
    assert result.exit_code == 2
    assert "choose exactly one of --offset N, --type TYPE, --all" in result.output


def test_an_outbox_replay_names_the_database_it_could_not_use(tmp_path: object) -> None:
    result = runner.invoke(
        app,
        ["outbox", "replay", "--database", "nonsense://", "--from", "1", "--to", "2"],
    )
    assert result.exit_code == 1
    assert "give a SQLAlchemy async URL" in result.output
    empty = runner.invoke(
        app,
        [
            "outbox",
            "replay",
            "--database",
            f"sqlite+aiosqlite:///{tmp_path}/none.db",
            "--from",
            "1",
            "--to",
            "2",
            "--bootstrap",
            NOWHERE,
        ],
    )
    assert empty.exit_code == 1
    assert "has no outbox table" in empty.output
