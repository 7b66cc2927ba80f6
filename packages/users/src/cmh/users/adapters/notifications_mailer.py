"""The ``AccountMailer`` through the notifications service, which owns every mail:
``POST /internal/v1/notifications/transactional`` with a service token users signs for
itself (it is the issuer), the ``contracts`` body notifications reads. The link with its
secret goes in that request only (never on the broker); the secret rides in the URL's
fragment, which browsers do not send to servers, so no access log keeps it. A failure is
raised: the use cases log it, the account stays, and the learner may ask again."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import msgspec

from cmh.contracts.http.notifications import (
    TransactionalKind,
    TransactionalMailRequest,
    TransactionalMailResponse,
)
from cmh.kernel.auth.tokens import TokenIssuer
from cmh.kernel.clock import Clock
from cmh.kernel.errors import DependencyUnavailable
from cmh.users.domain.email import Email
from cmh.users.domain.roles import service_principal
from cmh.users.settings import AccountMailSettings

USERS_SERVICE = service_principal("users")
TRANSACTIONAL_PATH = "/internal/v1/notifications/transactional"
PAGES: dict[TransactionalKind, str] = {
    "email_verification": "/verify-email",
    "password_reset": "/reset-password",
}


class NotificationsAccountMailer:
    def __init__(
        self,
        http: httpx.AsyncClient,
        issuer: TokenIssuer,
        clock: Clock,
        settings: AccountMailSettings,
        *,
        verification_ttl: timedelta,
        reset_ttl: timedelta,
    ) -> None:
        self._http = http
        self._issuer = issuer
        self._clock = clock
        self._settings = settings
        self._ttl: dict[TransactionalKind, timedelta] = {
            "email_verification": verification_ttl,
            "password_reset": reset_ttl,
        }

    async def send_email_verification(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        await self._send("email_verification", to, display_name, token, user_id, locale)

    async def send_password_reset(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        await self._send("password_reset", to, display_name, token, user_id, locale)

    async def _send(
        self,
        kind: TransactionalKind,
        to: Email,
        display_name: str,
        token: str,
        user_id: str,
        locale: str,
    ) -> None:
        link = f"{self._settings.links_base_url.rstrip('/')}{PAGES[kind]}#token={token}"
        body = TransactionalMailRequest(
            kind=kind,
            user_id=user_id or to.value,
            to=to.value,
            display_name=display_name,
            action_url=link,
            expires_in_seconds=int(self._ttl[kind].total_seconds()),
            locale=locale,
        )
        service_token = self._issuer.issue_access(
            USERS_SERVICE, now=self._clock.now(), token_id=uuid.uuid4().hex
        )
        url = self._settings.notifications_url.rstrip("/") + TRANSACTIONAL_PATH
        try:
            response = await self._http.post(
                url,
                content=msgspec.json.encode(body),
                headers={
                    "authorization": f"Bearer {service_token}",
                    "content-type": "application/json",
                },
                timeout=self._settings.timeout_seconds,
            )
        except httpx.HTTPError as exc:
            raise DependencyUnavailable(f"notifications did not answer: {exc!r}"[:300]) from exc
        if response.status_code != 200:
            raise DependencyUnavailable(f"notifications answered {response.status_code}")
        msgspec.json.decode(response.content, type=TransactionalMailResponse)
