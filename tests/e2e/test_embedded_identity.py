"""Identity rules of the embedded platform (`make run`), through its public port: single
sign-on only through the stand-in provider's own sign-in page, mail secrets stay out of the
log, `/internal` is not served, introspection is for services, a disabled or erased
account's tokens stop at once."""

from __future__ import annotations

import logging
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from structlog.testing import capture_logs

from cmh.apps.platform.settings import EMBEDDED_SSO_REDIRECT_URIS, NOTIFICATIONS_MAIL_FILE
from cmh.users.demo_seed import DEMO_ACCOUNTS
from cmh.users.domain.pkce import s256_challenge

Client = AsyncTestClient[Any]
PASSWORD = "correct horse battery"
MIA = "mia@example.org"


# Account mail goes through notifications; its link carries the secret in the fragment.
SUBJECTS = {
    "email_verification": "Confirm your email address",
    "password_reset": "Reset your password",
}
TOKEN_IN_LINK = re.compile(r"#token=([A-Za-z0-9_-]+)")


def _mailed_tokens(data_dir: Path, kind: str, to: str) -> list[str]:
    mails = map(msgspec.json.decode, (data_dir / NOTIFICATIONS_MAIL_FILE).read_bytes().splitlines())
    return [
        match.group(1)
        for mail in mails
        if (mail["subject"], mail["to"]) == (SUBJECTS[kind], to)
        and (match := TOKEN_IN_LINK.search(mail["text"]))
    ]


async def test_mail_secrets_go_to_the_mail_file_never_to_the_log(
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
    assert "notifications.mail_written" in logged
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


async def test_the_sso_attack_of_issue_8_fails_and_demo_passwords_keep_working(
    platform: Client,
) -> None:
    for account in DEMO_ACCOUNTS:
        attack = await platform.post(
            "/api/v1/auth/sso/callback",
            json={"code": f"local:{account.email}", "redirect_uri": "http://x"},
        )
        assert 400 <= attack.status_code < 500, attack.text
        assert attack.headers["content-type"].startswith("application/problem+json")
        assert "access_token" not in attack.text
    for account in DEMO_ACCOUNTS:
        login = await platform.post(
            "/api/v1/auth/login", json={"email": account.email, "password": account.password}
        )
        assert login.status_code == 200, (account.email, login.text)


async def test_the_stand_in_identity_provider_signs_in_through_its_page(platform: Client) -> None:
    verifier = secrets.token_urlsafe(48)
    started = await platform.post(
        "/api/v1/auth/sso/start",
        json={
            "redirect_uri": EMBEDDED_SSO_REDIRECT_URIS[0],
            "code_challenge": s256_challenge(verifier),
        },
    )
    assert started.status_code == 200, started.text
    authorize = urlsplit(started.json()["authorization_url"])
    assert authorize.path == "/local-idp/authorize"
    page = await platform.get(f"{authorize.path}?{authorize.query}")
    assert page.status_code == 200
    assert "sam" in page.text
    form = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    form.update(username="sam", password="sso-the-cloud-42")
    signed_in = await platform.post("/local-idp/authorize", data=form, follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    back = {k: v[0] for k, v in parse_qs(urlsplit(signed_in.headers["location"]).query).items()}
    callback = await platform.post(
        "/api/v1/auth/sso/callback",
        json={"code": back["code"], "state": back["state"], "code_verifier": verifier},
    )
    assert callback.status_code == 200, callback.text
    me = await platform.get(
        "/api/v1/users/me", headers={"authorization": f"Bearer {callback.json()['access_token']}"}
    )
    assert (me.json()["email"], me.json()["email_verified"]) == ("sam@sso.example.net", True)
