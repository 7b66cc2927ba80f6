"""The Payments module composed as the apps compose it, for tests: the MEMORY profile
(``memory_payments``) and the EMBEDDED profile's HTTP app over a SQLite file
(``build_payments_test_app``), whose Stripe stand-in posts its webhooks to the app
itself."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from dishka import AsyncContainer
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine

from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock, FrozenClock
from cmh.kernel.messaging.inprocess import InProcessBus
from cmh.kernel.module import Profile, compose
from cmh.kernel.settings import DatabaseSettings, HttpSettings
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh.kernel.web.app import create_http_app
from cmh.payments.adapters.sql.migrations import PAYMENTS_MIGRATIONS
from cmh.payments.adapters.standin.stripe import StandInStripe
from cmh.payments.adapters.stripe_sdk.settings import StripeSettings
from cmh.payments.module import PaymentsModule
from cmh.payments.settings import PaymentsSettings
from cmh_testing.kernel.overrides import adding, replacing

BASE_URL = "http://payments.test"
SECRET = "whsec_test_secret"  # noqa: S105 - the tests' own webhook secret


class _NoTokens:
    async def authenticate(self, token: str) -> Principal:
        raise AssertionError("use-case tests pass the principal; no token is checked")


def payments_settings() -> PaymentsSettings:
    return PaymentsSettings(public_base_url=BASE_URL, stripe=StripeSettings(webhook_secret=SECRET))


def memory_payments(clock: FrozenClock) -> AsyncContainer:
    """The MEMORY profile with ``clock``; the work waits for ``PaymentsWork.drain()``."""
    return compose(
        Profile.MEMORY,
        [PaymentsModule()],
        context={PaymentsSettings: payments_settings()},
        overrides=[replacing((Clock, clock)), adding((Authenticator, _NoTokens()))],
    )


@dataclass
class PaymentsTestApp:
    app: Litestar
    container: AsyncContainer
    issuer: TokenIssuer
    clock: FrozenClock

    def auth(self, principal: Principal) -> dict[str, str]:
        token = self.issuer.issue_access(principal, now=self.clock.now(), token_id=uuid.uuid4().hex)
        return {"Authorization": f"Bearer {token}"}

    async def stand_in(self) -> StandInStripe:
        """The Stripe stand-in, posting its webhooks into this app."""
        stripe = await self.container.get(StandInStripe)
        if stripe.http is None:
            stripe.http = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=self.app),  # type: ignore[arg-type]
                base_url=BASE_URL,
            )
        return stripe


async def build_payments_test_app(directory: Path, clock: FrozenClock) -> PaymentsTestApp:
    """The EMBEDDED profile's HTTP app over a migrated SQLite file in ``directory``, with
    ``clock`` and tokens signed by a key of its own (``auth``)."""
    key = SigningKey.generate()
    token_settings = TokenSettings()
    authenticator = LocalAuthenticator(TokenVerifier(key.jwks(), token_settings), clock)
    container = compose(
        Profile.EMBEDDED,
        [PaymentsModule()],
        context={
            PaymentsSettings: payments_settings(),
            DatabaseSettings: DatabaseSettings(
                url=f"sqlite+aiosqlite:///{directory / 'payments.db'}"
            ),
            InProcessBus: InProcessBus(),
        },
        overrides=[replacing((Clock, clock)), adding((Authenticator, authenticator))],
    )
    await upgrade(await container.get(AsyncEngine), [KERNEL_MIGRATIONS, PAYMENTS_MIGRATIONS])
    app = create_http_app(
        container=container,
        route_handlers=PaymentsModule().routes(Profile.EMBEDDED),
        title="Payments",
        http=HttpSettings(),
    )
    return PaymentsTestApp(
        app=app, container=container, issuer=TokenIssuer(key, token_settings), clock=clock
    )
