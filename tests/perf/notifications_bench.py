"""Notifications, measured (``make bench`` or ``python -m tests.perf.notifications_bench``):

- fan-out: 1,000 sockets open on a notifications API process (its push through Redis
  Pub/Sub); this process consumes one ``lab.status_changed`` per socket's learner (the
  use case, SQLite, Redis) and counts notifications per second from the first event to the
  last socket's message, with each one's event-to-socket latency. Baseline: a bare
  Litestar WebSocket echo with the same 1,000 sockets and the same Python client (its
  rate, many times ours, shows the client is not what limits ours);
- mail jobs per second through the SQS queue (infra/local's moto) to SMTP (mailpit),
  against the same mails sent straight to SMTP.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import secrets
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from cmh.contracts.events.labs import LabStatusChangedV1
from cmh.kernel.auth.authenticator import Authenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.notifications.adapters.mail.settings import MailProvider, MailSettings
from cmh.notifications.adapters.mail.smtp import SmtpMailer
from cmh.notifications.adapters.push.redis_push import RedisPush
from cmh.notifications.adapters.push.settings import PushSettings
from cmh.notifications.adapters.sql.migrations import NOTIFICATIONS_MIGRATIONS
from cmh.notifications.adapters.sqs.mail_jobs import SqsMailJobs
from cmh.notifications.adapters.sqs.queues import ensure_mail_queues, sqs_client
from cmh.notifications.adapters.sqs.settings import MailQueueSettings
from cmh.notifications.adapters.sqs.worker import SqsMailWorker
from cmh.notifications.application.ports import LivePush, MailJob, MailMessage
from cmh.notifications.module import NotificationsModule
from cmh.notifications.settings import NotificationsSettings
from cmh_testing.kernel.overrides import adding, replacing
from cmh_testing.notifications import STREAM_PATH, SUBPROTOCOL
from cmh_testing.notifications.events import deliver_event
from cmh_testing.notifications.mailpit import smtp_address
from cmh_testing.notifications.moto import moto_url, sqs_operator
from tests.perf.results import Row
from tests.perf.servers import serve

SOCKETS = int(os.environ.get("CMH_BENCH_SOCKETS", "1000"))
ECHO_ROUNDS = 5
MAIL_JOBS = 200
WS = ["--ws", "websockets-sansio"]


def _more_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 4 * SOCKETS + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


async def _open(url: str, protocols: list[Subprotocol] | None = None) -> ClientConnection:
    return await connect(url, subprotocols=protocols, proxy=None, compression=None, max_queue=None)


async def _echo_rate(base: str) -> float:
    sockets = [await _open(base.replace("http", "ws") + "/echo") for _ in range(SOCKETS)]
    try:
        start = time.perf_counter()
        for round_ in range(ECHO_ROUNDS):
            await asyncio.gather(*(s.send(f"ping {round_}") for s in sockets))
            await asyncio.gather(*(s.recv() for s in sockets))
        return SOCKETS * ECHO_ROUNDS / (time.perf_counter() - start)
    finally:
        await asyncio.gather(*(s.close() for s in sockets))


async def _fan_out(base: str, consumer: object, issuer: TokenIssuer) -> tuple[float, list[float]]:
    url = base.replace("http", "ws") + STREAM_PATH
    now = datetime.now(UTC)
    sockets = []
    for i in range(SOCKETS):
        token = issuer.issue_access(
            Principal(user_id=f"u-{i}", roles=frozenset({"learner"})), now=now, token_id=f"t{i}"
        )
        socket = await _open(url, [Subprotocol(SUBPROTOCOL), Subprotocol(token)])
        assert json.loads(await socket.recv()) == {"type": "ready"}
        sockets.append(socket)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []

    async def receive(socket: ClientConnection, user: str) -> None:
        json.loads(await socket.recv())
        latencies.append(time.perf_counter() - sent_at[user])

    waiting = [asyncio.create_task(receive(s, f"u-{i}")) for i, s in enumerate(sockets)]
    start = time.perf_counter()
    for i in range(SOCKETS):
        user = f"u-{i}"
        sent_at[user] = time.perf_counter()
        event = LabStatusChangedV1(
            session_id=f"s-{i}",
            user_id=user,
            template_id="t",
            from_status="provisioning",
            to_status="ready",
            reason="provisioned",
            changed_at=now,
        )
        await deliver_event(consumer, event)  # type: ignore[arg-type]
    await asyncio.wait_for(asyncio.gather(*waiting), 120)
    elapsed = time.perf_counter() - start
    await asyncio.gather(*(s.close() for s in sockets))
    return SOCKETS / elapsed, latencies


async def fan_out_row(redis_url: str) -> Row:
    _more_files()
    home = Path(tempfile.mkdtemp(prefix="cmh-notifications-bench-"))
    database = f"sqlite+aiosqlite:///{home / 'notifications.db'}"
    channel = f"cmh:bench:push:{secrets.token_hex(4)}"
    key = SigningKey.generate()
    redis = Redis.from_url(redis_url)
    consumer = compose(
        Profile.EMBEDDED,
        [NotificationsModule()],
        context={
            NotificationsSettings: NotificationsSettings(),
            DatabaseSettings: DatabaseSettings(url=database),
            InProcessBus: InProcessBus(),
        },
        overrides=[
            replacing((LivePush, RedisPush(redis, PushSettings(channel=channel)))),
            adding((Authenticator, object())),
        ],
    )
    await upgrade(await consumer.get(AsyncEngine), [KERNEL_MIGRATIONS, NOTIFICATIONS_MIGRATIONS])
    env = {
        "CMH_BENCH_JWKS": json.dumps(key.jwks()),
        "CMH_BENCH_REDIS_URL": redis_url,
        "CMH_BENCH_PUSH_CHANNEL": channel,
        "CMH_BENCH_DATABASE_URL": database,
    }
    try:
        with serve("tests.perf.notifications_apps:echo", factory=True, extra_args=WS) as echo:
            base_rate = await _echo_rate(echo.url)
        with serve(
            "tests.perf.notifications_apps:stream", env=env, factory=True, extra_args=WS
        ) as stream:
            rate, latencies = await _fan_out(
                stream.url, consumer, TokenIssuer(key, TokenSettings())
            )
    finally:
        await consumer.close()
        await redis.aclose()
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    return Row(
        scenario=f"notifications: event -> socket, {SOCKETS} sockets (Redis Pub/Sub)",
        baseline=f"bare Litestar WebSocket echo, {SOCKETS} sockets, same client",
        target="reported (push within 1 s: p99)",
        figure=f"{rate:.0f} notifications/s (echo {base_rate:.0f} msgs/s); "
        f"event->socket p50 {p50:.1f} ms, p99 {p99:.1f} ms",
        holds=p99 < 1000,
        ratio=rate / base_rate,
        runs=[
            {"name": "notifications", "rps": round(rate, 1), "p50_ms": p50, "p99_ms": p99},
            {"name": "echo", "rps": round(base_rate, 1), "p50_ms": 0.0, "p99_ms": 0.0},
        ],
    )


def _message(i: int, to: str) -> MailMessage:
    return MailMessage(to=to, to_name="Bench", subject=f"Bench {i}", text="t", html="<p>h</p>")


async def mail_queue_row() -> Row:
    host, port = smtp_address()
    smtp = SmtpMailer(MailSettings(provider=MailProvider.SMTP, smtp_host=host, smtp_port=port))
    to = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    start = time.perf_counter()
    for i in range(MAIL_JOBS):
        await smtp.send(_message(i, to))
    direct = MAIL_JOBS / (time.perf_counter() - start)

    key_id, secret = sqs_operator(moto_url())
    name = f"cmh-bench-mail-{secrets.token_hex(4)}"
    settings = MailQueueSettings(
        queue_name=name,
        dead_letter_queue_name=f"{name}-dead",
        endpoint_url=moto_url(),
        access_key_id=key_id,
        secret_access_key=secret,
        wait_seconds=1,
        batch_size=10,
    )
    sqs = sqs_client(settings)
    queues = ensure_mail_queues(sqs, settings)
    sent = 0

    async def handle(job: MailJob) -> None:
        nonlocal sent
        await smtp.send(_message(int(job.delivery_ids[0]), to))
        sent += 1

    jobs = SqsMailJobs(sqs, queues)
    worker = SqsMailWorker(sqs, queues, handle, settings)
    start = time.perf_counter()
    await asyncio.gather(*(jobs.enqueue(MailJob(delivery_ids=[str(i)])) for i in range(MAIL_JOBS)))
    while sent < MAIL_JOBS:
        await worker.poll_once()
    queued = MAIL_JOBS / (time.perf_counter() - start)
    for url in (queues.url, queues.dead_letter_url):
        sqs.delete_queue(QueueUrl=url)
    return Row(
        scenario=f"notifications: {MAIL_JOBS} mail jobs through SQS (moto) to SMTP (mailpit)",
        baseline="the same mails sent straight to SMTP",
        target="reported",
        figure=f"{queued:.0f} jobs/s vs {direct:.0f} mails/s direct",
        holds=None,
        ratio=queued / direct,
    )


async def notification_rows(redis_url: str) -> list[Row]:
    return [await fan_out_row(redis_url), await mail_queue_row()]


if __name__ == "__main__":
    from tests.perf.results import print_table

    print_table(asyncio.run(notification_rows(os.environ["CMH_TEST_REDIS_URL"])))
