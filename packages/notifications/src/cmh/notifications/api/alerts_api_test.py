"""``POST /internal/v1/notifications/alerts``: Alertmanager's webhook over HTTP, every status
it documents."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.notifications.adapters.mail.settings import MailProvider, MailSettings
from cmh.notifications.adapters.memory.services import MemoryAdministrators
from cmh.notifications.application.ports import Recipient
from cmh.notifications.settings import NotificationsSettings
from cmh_testing.notifications import NotificationsTestApp, build_notifications_test_app

URL = "/internal/v1/notifications/alerts"
SECRET = "an-alert-webhook-secret-of-forty-chars!!"
ROOT = Principal(user_id="root", roles=frozenset({"admin"}))


def payload(**alert: Any) -> dict[str, Any]:
    return {
        "version": "4",
        "status": "firing",
        "receiver": "administrators",
        "groupKey": '{}:{alertname="HighErrorRatio"}',
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "HighErrorRatio", "severity": "critical"},
                "annotations": {"summary": "courses answers 10% with a 5xx"},
                "startsAt": "2026-03-02T14:58:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://127.0.0.1:9090/graph",
                "fingerprint": "0123456789abcdef",
                **alert,
            }
        ],
    }


async def app_with(tmp_path: Path, secret: str | None) -> NotificationsTestApp:
    settings = NotificationsSettings(
        public_url="https://cmh.example",
        mail=MailSettings(provider=MailProvider.FILE),
        alerts_webhook_secret=secret,
    )
    built = await build_notifications_test_app(
        tmp_path, FrozenClock(datetime.now(UTC).replace(microsecond=0)), settings=settings
    )
    admins: MemoryAdministrators = await built.container.get(MemoryAdministrators)
    admins.administrators = [
        Recipient(user_id="root", email="root@example.com", display_name="Root")
    ]
    return built


@pytest.fixture
async def alerts_app(tmp_path: Path) -> AsyncIterator[NotificationsTestApp]:
    built = await app_with(tmp_path, SECRET)
    yield built
    await built.container.close()


async def test_a_firing_alert_lands_in_the_administrators_inbox(
    alerts_app: NotificationsTestApp,
) -> None:
    async with AsyncTestClient[Litestar](alerts_app.app) as client:
        bearer = {"Authorization": f"Bearer {SECRET}"}
        first = await client.post(URL, json=payload(), headers=bearer)
        again = await client.post(URL, json=payload(), headers=bearer)
        inbox = await client.get("/api/v1/notifications/me", headers=alerts_app.auth(ROOT))

    assert (first.status_code, first.json()) == (200, {"alerts": 1, "administrators": 1})
    assert again.status_code == 200
    [entry] = inbox.json()["items"]
    assert entry["title"] == "Alert HighErrorRatio (critical)"
    assert entry["category"] == "operations"


async def test_a_caller_without_the_secret_learns_nothing_of_the_body(
    alerts_app: NotificationsTestApp,
) -> None:
    async with AsyncTestClient[Litestar](alerts_app.app) as client:
        missing = await client.post(URL, json={"not": "a webhook"})
        wrong = await client.post(URL, json={}, headers={"Authorization": "Bearer nope"})
        a_user = await client.post(URL, json=payload(), headers=alerts_app.auth(ROOT))
    assert [r.status_code for r in (missing, wrong, a_user)] == [401, 401, 401]
    assert missing.headers["content-type"].startswith("application/problem+json")


async def test_a_bad_body_names_its_field(alerts_app: NotificationsTestApp) -> None:
    async with AsyncTestClient[Litestar](alerts_app.app) as client:
        bad = await client.post(
            URL, json=payload(fingerprint="not hex!"), headers={"Authorization": f"Bearer {SECRET}"}
        )
    assert bad.status_code in (400, 422)
    assert "fingerprint" in bad.json()["errors"][0]["field"]


async def test_the_webhook_is_off_without_a_secret(tmp_path: Path) -> None:
    built = await app_with(tmp_path, None)
    try:
        async with AsyncTestClient[Litestar](built.app) as client:
            off = await client.post(
                URL, json=payload(), headers={"Authorization": f"Bearer {SECRET}"}
            )
    finally:
        await built.container.close()
    assert (off.status_code, off.json()["code"]) == (404, "webhook_not_configured")


async def test_users_away_answers_503(alerts_app: NotificationsTestApp) -> None:
    (await alerts_app.container.get(MemoryAdministrators)).down = True
    async with AsyncTestClient[Litestar](alerts_app.app) as client:
        away = await client.post(URL, json=payload(), headers={"Authorization": f"Bearer {SECRET}"})
    assert away.status_code == 503
