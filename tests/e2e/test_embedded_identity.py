"""Identity rules of the embedded platform (`make run`), through its public port: mail
secrets stay out of the log, `/internal` is not served, introspection is for services."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from structlog.testing import capture_logs

from cmh.apps.platform.app import MAIL_FILE

Client = AsyncTestClient[Any]
PASSWORD = "correct horse battery"
MIA = "mia@example.org"


def _mailed_tokens(data_dir: Path, kind: str, to: str) -> list[str]:
    mails = map(msgspec.json.decode, (data_dir / MAIL_FILE).read_bytes().splitlines())
    return [mail["token"] for mail in mails if (mail["kind"], mail["to"]) == (kind, to)]


async def test_mail_secrets_go_to_the_dev_mail_file_never_to_the_log(
    platform: Client, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with capture_logs() as logs, caplog.at_level(logging.DEBUG):
        registered = await platform.post(
            "/api/v1/auth/register",
            json={"email": MIA, "password": PASSWORD, "display_name": "Mia"},
        )
        assert registered.status_code == 201, registered.text
        (verification,) = _mailed_tokens(tmp_path, "email_verification", MIA)
        verified = await platform.post("/api/v1/auth/verify-email", json={"token": verification})
        assert verified.status_code == 204, verified.text
        asked = await platform.post("/api/v1/auth/password-reset", json={"email": MIA})
        assert asked.status_code == 202
        (reset,) = _mailed_tokens(tmp_path, "password_reset", MIA)
        confirmed = await platform.post(
            "/api/v1/auth/password-reset/confirm",
            json={"token": reset, "new_password": "a brand new passphrase"},
        )
        assert confirmed.status_code == 204, confirmed.text

    logged = repr(logs) + caplog.text
    assert "users.mail_written" in logged
    assert verification not in logged
    assert reset not in logged


INTERNAL_PATHS = [
    "/internal/v1/auth/token",
    "/internal/v1/users/u-1/entitlements",
    "/internal/v1/users/u-1/tier",
    "/internal/v1/content/assets/a-1/playback",
    "/internal",
]
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


async def test_internal_routes_are_not_on_the_public_port(platform: Client) -> None:
    for path in INTERNAL_PATHS:
        for method in METHODS:
            response = await platform.request(method, path, json={} if method != "GET" else None)
            assert response.status_code == 404, (method, path, response.status_code)
    paths = (await platform.get("/schema/openapi.json")).json()["paths"]
    assert [path for path in paths if path.startswith("/internal")] == []
    assert "/api/v1/auth/introspect" in paths


async def test_introspection_is_for_services_only(platform: Client) -> None:
    learner = await platform.post(
        "/api/v1/auth/login",
        json={"email": "learner@cloudmastershub.dev", "password": "learn-the-cloud-42"},
    )
    token = learner.json()["access_token"]
    anonymous = await platform.post("/api/v1/auth/introspect", json={"token": token})
    assert anonymous.status_code == 401
    as_learner = await platform.post(
        "/api/v1/auth/introspect",
        headers={"authorization": f"Bearer {token}"},
        json={"token": token},
    )
    assert as_learner.status_code == 403
    assert as_learner.json()["code"] == "service_only"


async def _signed_up(platform: Client, email: str) -> dict[str, str]:
    registered = await platform.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Someone"},
    )
    assert registered.status_code == 201, registered.text
    tokens = await platform.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    return {"authorization": f"Bearer {tokens.json()['access_token']}"}


async def test_disabled_and_erased_accounts_tokens_stop_at_once(platform: Client) -> None:
    admin_login = await platform.post(
        "/api/v1/auth/login",
        json={"email": "admin@cloudmastershub.dev", "password": "admin-the-cloud-42"},
    )
    admin = {"authorization": f"Bearer {admin_login.json()['access_token']}"}
    disabled, erased = (
        await _signed_up(platform, "dan@example.org"),
        await _signed_up(platform, "eve@example.org"),
    )
    dan = (await platform.get("/api/v1/users/me", headers=disabled)).json()

    patched = await platform.patch(
        f"/api/v1/admin/users/{dan['id']}", headers=admin, json={"status": "disabled"}
    )
    assert patched.status_code == 200, patched.text
    assert (await platform.delete("/api/v1/users/me", headers=erased)).status_code == 204

    for headers in (disabled, erased):
        # Refused by the in-process gateway policies, on a route the token reached before.
        for method, path in (("GET", "/api/v1/users/me"), ("GET", "/api/v1/enrollments/me")):
            response = await platform.request(method, path, headers=headers)
            assert response.status_code == 401, (path, response.text)
            assert response.json()["code"] == "token_revoked"
