"""The SendGrid adapter, through the official SDK, against a local fake of the documented
v3 mail-send API: the request shape, 202, 429 and 5xx retried with backoff, 400 refused at
once, a provider that stays down reported as unavailable."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from python_http_client.exceptions import BadRequestsError  # pants: no-infer-dep
from sendgrid import SendGridAPIClient

from cmh.notifications.adapters.mail.sendgrid_mailer import SendGridMailer
from cmh.notifications.adapters.mail.settings import MailProvider, MailSettings
from cmh.notifications.application.ports import MailMessage, MailRejected, MailUnavailable
from cmh_testing.notifications.sendgrid_fake import API_KEY, FakeSendGrid

MESSAGE = MailMessage(
    to="ada@example.com",
    to_name="Ada",
    subject="Your lab is ready",
    text="Go build.",
    html="<p>Go build.</p>",
    headers={"List-Unsubscribe": "<https://cmh.example/u?token=t>"},
    category="labs",
)


@pytest.fixture
def fake() -> Iterator[FakeSendGrid]:
    with FakeSendGrid() as fake:
        yield fake


def mailer(
    fake: FakeSendGrid, *, key: str = API_KEY, attempts: int = 4
) -> tuple[SendGridMailer, list[float]]:
    waits: list[float] = []
    settings = MailSettings(
        provider=MailProvider.SENDGRID,
        sendgrid_api_key=key,
        sendgrid_url=fake.url,
        sendgrid_attempts=attempts,
    )
    return SendGridMailer(settings, sleep=waits.append), waits


async def test_a_mail_is_accepted_with_the_documented_request_shape(fake: FakeSendGrid) -> None:
    sender, waits = mailer(fake)
    message_id = await sender.send(MESSAGE)
    assert message_id
    [body] = fake.accepted
    assert body["personalizations"] == [{"to": [{"email": "ada@example.com", "name": "Ada"}]}]
    assert body["from"] == {"email": "no-reply@cloudmastershub.dev", "name": "CloudMastersHub"}
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    assert body["headers"] == {"List-Unsubscribe": "<https://cmh.example/u?token=t>"}
    assert body["categories"] == ["labs"]
    assert waits == []


async def test_a_rate_limit_and_server_errors_are_retried_with_growing_waits(
    fake: FakeSendGrid,
) -> None:
    sender, waits = mailer(fake)
    fake.fail_next(429, 500, 503)
    assert await sender.send(MESSAGE)
    assert (fake.requests, len(fake.accepted)) == (4, 1)
    assert len(waits) == 3
    assert waits[0] < waits[1] < waits[2]


async def test_a_bad_request_is_refused_at_once_and_not_retried(fake: FakeSendGrid) -> None:
    sender, waits = mailer(fake)
    fake.fail_next(400)
    with pytest.raises(MailRejected):
        await sender.send(MESSAGE)
    assert (fake.requests, waits) == (1, [])


async def test_a_provider_that_stays_down_is_unavailable_so_the_queue_tries_later(
    fake: FakeSendGrid,
) -> None:
    sender, _ = mailer(fake, attempts=3)
    fake.fail_next(502, 502, 502)
    with pytest.raises(MailUnavailable):
        await sender.send(MESSAGE)
    assert (fake.requests, fake.accepted) == (3, [])


async def test_a_wrong_key_keeps_the_mail_for_later_rather_than_refusing_it(
    fake: FakeSendGrid,
) -> None:
    sender, _ = mailer(fake, key="SG.wrong")
    with pytest.raises(MailUnavailable):
        await sender.send(MESSAGE)


def test_the_fake_refuses_what_sendgrid_documents_as_malformed(fake: FakeSendGrid) -> None:
    client = SendGridAPIClient(api_key=API_KEY, host=fake.url)
    with pytest.raises(BadRequestsError) as refused:
        client.client.mail.send.post(
            request_body={"personalizations": [{"to": []}], "from": {"email": "x"}}
        )
    fields = {e["field"] for e in json.loads(refused.value.body)["errors"]}
    assert fields == {"personalizations.0.to", "from", "subject", "content"}
