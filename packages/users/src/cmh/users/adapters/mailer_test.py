"""Mail link secrets reach the mail (or the local-development sink file), never a log."""

from __future__ import annotations

import logging
from pathlib import Path

import msgspec
import pytest
from structlog.testing import capture_logs

from cmh.users.adapters.dev_mail_sink import FileMailSink
from cmh.users.adapters.mailer import RecordingMailer
from cmh.users.domain.email import Email

SECRET = "s3cr3t-link-token-0123456789"
ADA = Email.parse("ada@example.com")


async def test_the_recording_mailer_keeps_the_secret_out_of_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailer = RecordingMailer()
    with capture_logs() as logs, caplog.at_level(logging.DEBUG):
        await mailer.send_email_verification(to=ADA, display_name="Ada", token=SECRET)
        await mailer.send_password_reset(to=ADA, display_name="Ada", token=SECRET)

    assert [entry["event"] for entry in logs] == ["users.mail_recorded"] * 2
    assert SECRET not in repr(logs) + caplog.text
    assert mailer.last_token("password_reset", "ada@example.com") == SECRET


async def test_the_recording_mailer_keeps_a_bounded_history() -> None:
    mailer = RecordingMailer(keep=2)
    for n in range(5):
        await mailer.send_password_reset(to=ADA, display_name="Ada", token=f"t{n}")
    assert [mail.token for mail in mailer.sent] == ["t3", "t4"]


async def test_the_dev_sink_writes_the_mail_to_its_file_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "data" / "mail.jsonl"
    sink = FileMailSink(path)
    with capture_logs() as logs, caplog.at_level(logging.DEBUG):
        await sink.send_email_verification(to=ADA, display_name="Ada", token=SECRET)
        await sink.send_password_reset(to=ADA, display_name="Ada", token=SECRET + "-2")

    assert SECRET not in repr(logs) + caplog.text
    assert {entry["file"] for entry in logs} == {str(path)}
    mails = [msgspec.json.decode(line) for line in path.read_bytes().splitlines()]
    assert [(m["kind"], m["to"], m["token"]) for m in mails] == [
        ("email_verification", "ada@example.com", SECRET),
        ("password_reset", "ada@example.com", SECRET + "-2"),
    ]
    assert path.stat().st_mode & 0o777 == 0o600
