"""Account mail handed to the notifications service: the contract body with the link
(its secret in the fragment), a service token users signed, and failures raised for the
use cases to log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import msgspec
import pytest

from cmh.contracts.http.notifications import TransactionalMailRequest
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import DependencyUnavailable
from cmh.users.adapters.notifications_mailer import NotificationsAccountMailer
from cmh.users.domain.email import Email
from cmh.users.settings import AccountMailSettings

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
KEY = SigningKey.generate()
TOKENS = TokenSettings()


def mailer(answer: httpx.Response, seen: list[httpx.Request]) -> NotificationsAccountMailer:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer

    return NotificationsAccountMailer(
        httpx.AsyncClient(transport=httpx.MockTransport(handle)),
        TokenIssuer(KEY, TOKENS),
        FrozenClock(NOW),
        AccountMailSettings(
            notifications_url="http://notifications:8107", links_base_url="https://app.example"
        ),
        verification_ttl=timedelta(hours=48),
        reset_ttl=timedelta(hours=1),
    )


async def test_a_verification_mail_is_a_contract_request_with_a_service_token() -> None:
    seen: list[httpx.Request] = []
    sent = httpx.Response(200, json={"delivery_id": "d1", "status": "sent"})
    await mailer(sent, seen).send_email_verification(
        to=Email.parse("ada@example.com"),
        display_name="Ada",
        token="s3cr3t",
        user_id="u1",
        locale="de",
    )
    [request] = seen
    assert str(request.url) == "http://notifications:8107/internal/v1/notifications/transactional"
    body = msgspec.json.decode(request.content, type=TransactionalMailRequest)
    assert body == TransactionalMailRequest(
        kind="email_verification",
        user_id="u1",
        to="ada@example.com",
        display_name="Ada",
        action_url="https://app.example/verify-email#token=s3cr3t",
        expires_in_seconds=172_800,
        locale="de",
    )
    token = request.headers["authorization"].removeprefix("Bearer ")
    caller = TokenVerifier(KEY.jwks(), TOKENS).verify(token, now=NOW)
    assert (caller.user_id, caller.roles) == ("service:users", frozenset({"service"}))


@pytest.mark.parametrize("status", [403, 422, 503])
async def test_a_refusal_or_an_outage_is_raised_for_the_use_case_to_log(status: int) -> None:
    with pytest.raises(DependencyUnavailable):
        await mailer(httpx.Response(status, json={}), []).send_password_reset(
            to=Email.parse("ada@example.com"), display_name="Ada", token="t"
        )
