"""An alert for real, end to end: Prometheus (a rule that fires at once) -> Alertmanager
-> the notifications service's webhook over HTTP (its bearer secret) -> the administrator's
inbox, and the mail in mailpit. Prometheus and Alertmanager are the binaries
infra/local builds, each on a free port with data of its own; the notifications API is the
service's embedded composition served by uvicorn, with the real SMTP mailer."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.notifications.adapters.mail.settings import MailProvider, MailSettings
from cmh.notifications.adapters.mail.smtp import SmtpMailer
from cmh.notifications.adapters.memory.services import MemoryAdministrators
from cmh.notifications.application.ports import Recipient
from cmh.notifications.settings import NotificationsSettings
from cmh_testing.kernel.serving import free_port, running
from cmh_testing.notifications import build_notifications_test_app
from cmh_testing.notifications.mailpit import Mailpit, smtp_address
from tests.observability.binaries import OBSERVABILITY, alertmanager, prometheus

pytestmark = pytest.mark.integration

SECRET = uuid.uuid4().hex + uuid.uuid4().hex
# Prometheus evaluates every second, Alertmanager sends a new group after a second.
DELIVERY_TARGET_SECONDS = 30.0
WITHIN_SECONDS = 90.0

RULES = """
groups:
  - name: delivery-check
    rules:
      - alert: AlertDeliveryCheck
        expr: vector(1)
        labels:
          severity: warning
          service: platform
        annotations:
          summary: "The alert path works"
          description: "Fired at once by the delivery test."
"""


@pytest.fixture(scope="module")
def mailpit() -> Iterator[Mailpit]:
    mailpit = Mailpit()
    if not mailpit.answers():
        pytest.fail("no mailpit answers: run `bash infra/local/mailpit.sh`", pytrace=False)
    yield mailpit
    mailpit.close()


class Processes:
    def __init__(self) -> None:
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, argv: list[str], log: Path) -> None:
        with log.open("wb") as out:
            self.started.append(
                subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603 - our builds
            )

    def stop(self) -> None:
        for process in self.started:
            process.terminate()
        for process in self.started:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


async def wait_ready(url: str, processes: Processes, logs: list[Path]) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            for process, log in zip(processes.started, logs, strict=False):
                if process.poll() is not None:
                    pytest.fail(f"{log.name} exited:\n{log.read_text()[-2000:]}")
            try:
                if (await http.get(url, timeout=2)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    pytest.fail(f"{url} did not answer within 60 s")


@pytest.fixture
def processes() -> Iterator[Processes]:
    started = Processes()
    yield started
    started.stop()


async def test_a_firing_alert_reaches_the_administrator_in_the_app_and_by_mail(
    tmp_path: Path, mailpit: Mailpit, processes: Processes
) -> None:
    host, smtp_port = smtp_address()
    admin_email = f"admin-{uuid.uuid4().hex[:10]}@example.org"
    settings = NotificationsSettings(
        public_url="https://cmh.example",
        mail=MailSettings(provider=MailProvider.SMTP, smtp_host=host, smtp_port=smtp_port),
        alerts_webhook_secret=SECRET,
    )
    built = await build_notifications_test_app(
        tmp_path,
        FrozenClock(datetime.now(UTC).replace(microsecond=0)),
        settings=settings,
        mailer=SmtpMailer(settings.mail),
    )
    admins: MemoryAdministrators = await built.container.get(MemoryAdministrators)
    admins.administrators = [Recipient(user_id="root", email=admin_email, display_name="Root")]
    admin = built.auth(Principal(user_id="root", roles=frozenset({"admin"})))

    app_port, prom_port, am_port = free_port(), free_port(), free_port()
    config = uvicorn.Config(built.app, host="127.0.0.1", port=app_port, log_level="warning")
    try:
        async with running(config) as notifications_url:
            secret_file = tmp_path / "webhook.secret"
            secret_file.write_text(SECRET + "\n")
            (tmp_path / "alertmanager.yml").write_text(
                alertmanager_config(
                    f"{notifications_url}/internal/v1/notifications/alerts", secret_file
                )
            )
            (tmp_path / "rules.yml").write_text(RULES)
            (tmp_path / "prometheus.yml").write_text(prometheus_config(am_port))
            logs = [tmp_path / "alertmanager.log", tmp_path / "prometheus.log"]
            processes.start(
                [
                    str(alertmanager()),
                    f"--config.file={tmp_path / 'alertmanager.yml'}",
                    f"--storage.path={tmp_path / 'am-data'}",
                    f"--web.listen-address=127.0.0.1:{am_port}",
                    "--cluster.listen-address=",
                ],
                logs[0],
            )
            await wait_ready(f"http://127.0.0.1:{am_port}/-/ready", processes, logs)
            started = time.monotonic()
            processes.start(
                [
                    str(prometheus()),
                    f"--config.file={tmp_path / 'prometheus.yml'}",
                    f"--storage.tsdb.path={tmp_path / 'prom-data'}",
                    f"--web.listen-address=127.0.0.1:{prom_port}",
                ],
                logs[1],
            )
            items = await inbox_within(notifications_url, admin, WITHIN_SECONDS, processes, logs)
            took = time.monotonic() - started
            print(
                f"\nalert delivered to the inbox {took:.1f}s after Prometheus started "
                f"(target: under {DELIVERY_TARGET_SECONDS:.0f}s)"
            )
    finally:
        await built.container.close()

    [entry] = items
    assert entry["title"] == "Alert AlertDeliveryCheck (warning)"
    assert "The alert path works" in entry["body"]
    assert entry["category"] == "operations"
    [mail] = mailpit.to(admin_email, within=20)
    assert "AlertDeliveryCheck" in mail["Subject"]


async def inbox_within(
    base: str, headers: dict[str, str], seconds: float, processes: Processes, logs: list[Path]
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base) as http:
        while time.monotonic() < deadline:
            for process, log in zip(processes.started, logs, strict=False):
                if process.poll() is not None:
                    pytest.fail(f"{log.name} exited:\n{log.read_text()[-2000:]}")
            items: list[dict[str, Any]] = (
                await http.get("/api/v1/notifications/me", headers=headers)
            ).json()["items"]
            if items:
                return items
            await asyncio.sleep(0.5)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-1500:]}" for log in logs)
    pytest.fail(f"no notification within {seconds:.0f}s\n{tails}")


def prometheus_config(alertmanager_port: int) -> str:
    return f"""
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:{alertmanager_port}"]
"""


def alertmanager_config(webhook_url: str, secret_file: Path) -> str:
    """The repository's config (infra/observability), with this test's webhook and secret,
    and groups sent after a second instead of thirty."""
    template = (OBSERVABILITY / "alertmanager" / "alertmanager.yml").read_text()
    lines = []
    for line in template.splitlines():
        if line.startswith("      - url: "):
            line = f"      - url: {webhook_url}"
        elif line.startswith("            credentials_file: "):
            line = f"            credentials_file: {secret_file}"
        elif line.startswith("  group_wait: "):
            line = "  group_wait: 1s"
        lines.append(line)
    config = "\n".join(lines) + "\n"
    assert webhook_url in config
    assert str(secret_file) in config
    return config
