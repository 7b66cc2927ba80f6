"""The SMTP adapter against mailpit (infra/local): the message read back over mailpit's
API, an unreachable server reported as unavailable, and a mail job retried through an
outage of the mail server and then delivered."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from cmh.contracts.events.users import UserRegisteredV1
from cmh.kernel.clock import FrozenClock
from cmh.notifications.adapters.mail.settings import MailProvider, MailSettings
from cmh.notifications.adapters.mail.smtp import SmtpMailer
from cmh.notifications.application.conftest import World
from cmh.notifications.application.ports import (
    Mailer,
    MailMessage,
    MailUnavailable,
)
from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.delivery import DeliveryStatus
from cmh_testing.kernel.serving import free_port
from cmh_testing.notifications import memory_notifications
from cmh_testing.notifications.mailpit import Mailpit, smtp_address

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def mailpit() -> Iterator[Mailpit]:
    mailpit = Mailpit()
    if not mailpit.answers():
        pytest.fail("no mailpit answers: run `bash infra/local/mailpit.sh`", pytrace=False)
    yield mailpit
    mailpit.close()


def smtp_settings(port: int | None = None) -> MailSettings:
    host, smtp_port = smtp_address()
    return MailSettings(
        provider=MailProvider.SMTP,
        smtp_host=host,
        smtp_port=port or smtp_port,
        smtp_timeout_seconds=2.0,
    )


def address() -> str:
    return f"ada-{uuid.uuid4().hex[:10]}@example.com"


async def test_a_mail_is_delivered_with_both_parts_and_its_headers(mailpit: Mailpit) -> None:
    to = address()
    message_id = await SmtpMailer(smtp_settings()).send(
        MailMessage(
            to=to,
            to_name="Ada Lovelace",
            subject="Dein Lab ist bereit",
            text="Leg los.",
            html="<p>Leg los.</p>",
            headers={
                "List-Unsubscribe": "<https://cmh.example/u?token=t>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    )
    [delivered] = mailpit.to(to)
    assert delivered["Subject"] == "Dein Lab ist bereit"
    assert delivered["Text"].strip() == "Leg los."
    assert delivered["HTML"].strip() == "<p>Leg los.</p>"
    assert delivered["To"] == [{"Name": "Ada Lovelace", "Address": to}]
    assert delivered["Headers"]["List-Unsubscribe"] == ["<https://cmh.example/u?token=t>"]
    assert message_id == f"<{delivered['MessageID']}>"


async def test_an_unreachable_mail_server_is_unavailable_not_a_refusal() -> None:
    with pytest.raises(MailUnavailable):
        await SmtpMailer(smtp_settings(port=free_port())).send(
            MailMessage(to=address(), to_name="", subject="s", text="t", html="h")
        )


class MailServerBackAfter:
    """The real SMTP adapter whose server is down (nothing listens on its port) for the
    first ``outages`` sends, then mailpit."""

    def __init__(self, outages: int) -> None:
        self._down = SmtpMailer(smtp_settings(port=free_port()))
        self._up = SmtpMailer(smtp_settings())
        self._outages = outages

    async def send(self, message: MailMessage) -> str | None:
        if self._outages:
            self._outages -= 1
            return await self._down.send(message)
        return await self._up.send(message)


async def test_a_mail_job_is_retried_through_an_outage_and_then_delivered(
    mailpit: Mailpit,
) -> None:
    clock = FrozenClock(datetime(2026, 3, 2, 15, tzinfo=UTC))
    container = memory_notifications(clock, (Mailer, MailServerBackAfter(outages=2)))
    world = World(container, clock, [])
    to = address()
    await world.publish(
        UserRegisteredV1(user_id="ada", email=to, display_name="Ada", role="learner")
    )
    jobs = await world.jobs()
    for _ in range(3):
        await jobs.drain()
    [mail] = [d for d in await world.deliveries() if d.channel is Channel.EMAIL]
    assert (mail.status, mail.attempts, len(jobs.failures)) == (DeliveryStatus.SENT, 3, 2)
    [delivered] = mailpit.to(to)
    assert delivered["Subject"] == "Welcome to CloudMastersHub, Ada"
    assert "/api/v1/notifications/unsubscribe?token=" in delivered["Headers"]["List-Unsubscribe"][0]
    await container.close()
