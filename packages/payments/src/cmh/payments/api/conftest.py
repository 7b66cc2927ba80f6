"""The Payments API over the module's EMBEDDED composition (SQLite file, the Stripe
stand-in posting into the app, the users stand-in), with a frozen clock and tokens signed
by a test key."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.payments.adapters.stripe_sdk.signing import event_body, stripe_signature
from cmh_testing.payments import SECRET, PaymentsTestApp, build_payments_test_app

LEARNER = Principal(user_id="learner", roles=frozenset({"learner"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
WEBHOOK = "/api/v1/payments/webhooks/stripe"

Client = AsyncTestClient[Litestar]


def signed(
    kind: str,
    obj: dict[str, Any],
    *,
    event_id: str = "evt_1",
    created: int = 1_000,
    age: int = 0,
    secret: str = SECRET,
) -> tuple[bytes, dict[str, str]]:
    """A Stripe event and its headers, signed ``age`` seconds ago."""
    body = event_body(event_id, kind, created, obj)
    signature = stripe_signature(body, secret, int(time.time()) - age)
    return body, {"Stripe-Signature": signature, "Content-Type": "application/json"}


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[PaymentsTestApp]:
    built = await build_payments_test_app(
        tmp_path, FrozenClock(datetime.now(UTC).replace(microsecond=0))
    )
    yield built
    await built.container.close()


@pytest.fixture
async def client(api: PaymentsTestApp) -> AsyncIterator[Client]:
    async with AsyncTestClient(api.app) as client:
        yield client
