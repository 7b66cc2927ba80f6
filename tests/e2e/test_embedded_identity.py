"""Identity rules of the embedded platform (`make run`), through its public port: mail
secrets stay out of the log, ..."""

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
