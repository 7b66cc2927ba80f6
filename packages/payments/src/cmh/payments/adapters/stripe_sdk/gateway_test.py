"""The SDK adapter against stripe-mock (infra/local): every request it sends must fit
Stripe's OpenAPI description, or stripe-mock refuses it. stripe-mock keeps no state, so
these tests check shapes and the answers' reading, not Stripe's behaviour. Idempotency
keys travel on every call (seen by the SDK's HTTP client)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import pytest
import stripe

from cmh.kernel.errors import DependencyUnavailable
from cmh.payments.adapters.stripe_sdk.gateway import SdkStripeGateway
from cmh.payments.adapters.stripe_sdk.settings import StripeSettings
from cmh.payments.application.ports import CheckoutRequest
from cmh.payments.domain.plans import PlanCatalog

pytestmark = pytest.mark.integration


class RecordingClient(stripe.HTTPXClient):
    """The SDK's own httpx client, noting each request's method, path and idempotency key."""

    def __init__(self) -> None:
        super().__init__(timeout=10)
        self.sent: list[tuple[str, str, str | None]] = []

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        path = url.split("://", 1)[1].split("/", 1)[1].split("?")[0]
        self.sent.append((method.upper(), "/" + path, headers.get("Idempotency-Key")))
        return await super().request_async(method, url, headers, post_data)


@pytest.fixture
def http() -> RecordingClient:
    return RecordingClient()


@pytest.fixture
def gateway(http: RecordingClient) -> SdkStripeGateway:
    url = os.environ.get("CMH_TEST_STRIPE_MOCK_URL", "http://127.0.0.1:12111")
    return SdkStripeGateway(
        StripeSettings(api_key="sk_test_123", api_base=url, max_network_retries=0),
        PlanCatalog(),
        http_client=http,
    )


def changes(http: RecordingClient) -> list[tuple[str, str, str | None]]:
    return [sent for sent in http.sent if sent[0] in ("POST", "DELETE")]


def request(mode: str, plan_id: str, quantity: int = 1) -> CheckoutRequest:
    return CheckoutRequest(
        customer_id="cus_123",
        user_id="u1",
        plan_id=plan_id,
        mode=mode,  # type: ignore[arg-type]
        quantity=quantity,
        success_url="http://127.0.0.1:8000/billing/success?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="http://127.0.0.1:8000/billing/cancelled",
        idempotency_key="checkout-1",
    )


async def test_customers_checkouts_portal_and_refunds_fit_stripe_s_shapes(
    gateway: SdkStripeGateway, http: RecordingClient
) -> None:
    assert (await gateway.create_customer("u1", idempotency_key="customer-u1")).startswith("cus_")
    subscription = await gateway.checkout(request("subscription", "team_monthly", 3))
    assert subscription.id.startswith("cs_")
    assert subscription.url.startswith("https://")
    pack = await gateway.checkout(request("payment", "lab_hours_10"))
    assert pack.id.startswith("cs_")
    portal = await gateway.portal("cus_123", "http://127.0.0.1:8000/billing", idempotency_key="p-1")
    assert portal.startswith("https://")
    assert (
        await gateway.refund("ch_123", 500, reason="lab failed", idempotency_key="r-1")
    ).startswith("re_")
    assert (
        await gateway.refund("pi_123", 500, reason="lab failed", idempotency_key="r-2")
    ).startswith("re_")
    await gateway.erase_customer("cus_123", idempotency_key="erase-u1")
    keys = {path: key for _, path, key in changes(http) if not path.startswith("/v1/prices")}
    assert keys == {
        "/v1/customers": "customer-u1",
        "/v1/checkout/sessions": "checkout-1",
        "/v1/billing_portal/sessions": "p-1",
        "/v1/refunds": "r-2",
        "/v1/customers/cus_123": "erase-u1",
    }
    assert all(key for _, _, key in changes(http))


async def test_plan_changes_are_prorated_and_cancellation_is_at_the_period_end(
    gateway: SdkStripeGateway, http: RecordingClient
) -> None:
    await gateway.change_plan("sub_123", "pro_yearly", 1, idempotency_key="plan-1")
    await gateway.cancel_at_period_end("sub_123", True, idempotency_key="cancel-1")
    await gateway.cancel_at_period_end("sub_123", False, idempotency_key="resume-1")
    assert (await gateway.price_id("pro_monthly")).startswith("price_")
    updates = [key for _, path, key in changes(http) if path == "/v1/subscriptions/sub_123"]
    assert updates == ["plan-1", "cancel-1", "resume-1"]


async def test_a_key_stripe_refuses_is_the_platform_s_outage_not_a_crash(
    http: RecordingClient,
) -> None:
    url = os.environ.get("CMH_TEST_STRIPE_MOCK_URL", "http://127.0.0.1:12111")
    refused = SdkStripeGateway(
        StripeSettings(api_key="sk_test_stripe_mock", api_base=url, max_network_retries=0),
        PlanCatalog(),
        http_client=http,
    )
    with pytest.raises(DependencyUnavailable, match="CMH_PAYMENTS__STRIPE__API_KEY"):
        await refused.create_customer("u1", idempotency_key="customer-u1")
