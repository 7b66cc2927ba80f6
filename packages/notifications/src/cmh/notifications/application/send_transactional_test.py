"""Account mail for users: sent now in the recipient's language with its link, logged
without the link, for platform services only; an outage is a 503 for users to retry."""

from __future__ import annotations

import pytest

from cmh.contracts.http.notifications import TransactionalMailRequest
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import DependencyUnavailable, Forbidden
from cmh.notifications.application.conftest import World
from cmh.notifications.application.send_transactional import SendTransactionalMail
from cmh.notifications.domain.delivery import DeliveryStatus

USERS = Principal(user_id="service:users", roles=frozenset({"service"}))
LINK = "https://cmh.example/verify-email#token=s3cr3t-link-token"


def request(**changes: object) -> TransactionalMailRequest:
    fields: dict[str, object] = {
        "kind": "email_verification",
        "user_id": "ada",
        "to": "ada@example.com",
        "display_name": "Ada",
        "action_url": LINK,
        "expires_in_seconds": 172_800,
        "locale": "de-DE",
        **changes,
    }
    return TransactionalMailRequest(**fields)  # type: ignore[arg-type]


async def test_the_mail_goes_now_with_its_link_and_the_log_keeps_no_link(world: World) -> None:
    sent = await (await world.use(SendTransactionalMail)).execute(USERS, request())
    assert sent.status == "sent"
    [mail] = (await world.mailer()).sent
    assert mail.subject == "Bestätige deine E-Mail-Adresse"
    assert LINK in mail.text
    assert 'href="https://cmh.example/verify-email#token=s3cr3t-link-token"' in mail.html
    assert "48 Stunden" in mail.text
    assert "List-Unsubscribe" not in mail.headers
    [logged] = await world.deliveries()
    assert (logged.id, logged.status) == (sent.delivery_id, DeliveryStatus.SENT)
    assert "s3cr3t" not in repr(logged)
    assert await world.notifications() == []  # account mail is no inbox entry


async def test_a_password_reset_in_english_and_each_request_is_its_own_mail(
    world: World,
) -> None:
    send = await world.use(SendTransactionalMail)
    for _ in range(2):
        await send.execute(
            USERS, request(kind="password_reset", locale="en", expires_in_seconds=3600)
        )
    subjects = [m.subject for m in (await world.mailer()).sent]
    assert subjects == ["Reset your password", "Reset your password"]
    assert "works for 1 hours" in (await world.mailer()).sent[0].text
    assert len(await world.deliveries()) == 2


async def test_only_platform_services_may_send_it(world: World) -> None:
    learner = Principal(user_id="ada", roles=frozenset({"learner"}))
    with pytest.raises(Forbidden):
        await (await world.use(SendTransactionalMail)).execute(learner, request())
    assert (await world.mailer()).sent == []


async def test_a_provider_outage_is_unavailable_for_the_caller_to_retry(world: World) -> None:
    (await world.mailer()).outage(1)
    with pytest.raises(DependencyUnavailable):
        await (await world.use(SendTransactionalMail)).execute(USERS, request())
    sent = await (await world.use(SendTransactionalMail)).execute(USERS, request())
    assert sent.status == "sent"
