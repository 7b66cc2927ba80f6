"""Stripe's API through the official SDK (async ``StripeClient`` over httpx). Every call
carries an idempotency key, so the SDK's own retries and ours act once. Prices are found
by lookup key (the plan id) and made when missing, so the catalogue follows the code."""

from __future__ import annotations

from typing import Any

import stripe

from cmh.kernel.errors import DependencyUnavailable
from cmh.payments.adapters.stripe_sdk.settings import StripeSettings
from cmh.payments.application.ports import CheckoutRequest, CheckoutSession
from cmh.payments.domain.plans import Interval, PlanCatalog


class SdkStripeGateway:
    def __init__(
        self,
        settings: StripeSettings,
        catalog: PlanCatalog,
        http_client: stripe.HTTPClient | None = None,
    ) -> None:
        if not settings.api_key:
            raise ValueError("a Stripe API key is required (CMH_PAYMENTS__STRIPE__API_KEY)")
        base = {"api": settings.api_base} if settings.api_base else None
        self._client = stripe.StripeClient(
            settings.api_key,
            base_addresses=base,  # type: ignore[arg-type]
            max_network_retries=settings.max_network_retries,
            http_client=http_client or stripe.HTTPXClient(timeout=settings.timeout_seconds),
        )
        self._catalog = catalog
        self._prices: dict[str, str] = {}

    async def create_customer(self, user_id: str, *, idempotency_key: str) -> str:
        customer = await self._call(
            self._client.v1.customers.create_async(
                {"metadata": {"user_id": user_id}},
                {"idempotency_key": idempotency_key},
            )
        )
        return str(customer.id)

    async def checkout(self, request: CheckoutRequest) -> CheckoutSession:
        price = await self.price_id(request.plan_id)
        metadata = {"user_id": request.user_id, "plan_id": request.plan_id}
        params: dict[str, Any] = {
            "mode": request.mode,
            "customer": request.customer_id,
            "client_reference_id": request.user_id,
            "line_items": [{"price": price, "quantity": request.quantity}],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "metadata": metadata,
        }
        if request.mode == "subscription":
            params["subscription_data"] = {"metadata": metadata}
        else:
            params["payment_intent_data"] = {"metadata": metadata}
        session = await self._call(
            self._client.v1.checkout.sessions.create_async(
                params,  # type: ignore[arg-type]
                {"idempotency_key": request.idempotency_key},
            )
        )
        return CheckoutSession(id=str(session.id), url=str(session.url))

    async def change_plan(
        self, subscription_id: str, plan_id: str, quantity: int, *, idempotency_key: str
    ) -> None:
        current = await self._call(self._client.v1.subscriptions.retrieve_async(subscription_id))
        item = current["items"]["data"][0]["id"]
        await self._call(
            self._client.v1.subscriptions.update_async(
                subscription_id,
                {
                    "items": [
                        {"id": item, "price": await self.price_id(plan_id), "quantity": quantity}
                    ],
                    "proration_behavior": "create_prorations",
                    "metadata": {"plan_id": plan_id},
                },
                {"idempotency_key": idempotency_key},
            )
        )

    async def cancel_at_period_end(
        self, subscription_id: str, cancel: bool, *, idempotency_key: str
    ) -> None:
        await self._call(
            self._client.v1.subscriptions.update_async(
                subscription_id,
                {"cancel_at_period_end": cancel},
                {"idempotency_key": idempotency_key},
            )
        )

    async def portal(self, customer_id: str, return_url: str, *, idempotency_key: str) -> str:
        session = await self._call(
            self._client.v1.billing_portal.sessions.create_async(
                {"customer": customer_id, "return_url": return_url},
                {"idempotency_key": idempotency_key},
            )
        )
        return str(session.url)

    async def refund(
        self, payment_ref: str, amount_cents: int, *, reason: str, idempotency_key: str
    ) -> str:
        target = "payment_intent" if payment_ref.startswith("pi_") else "charge"
        refund = await self._call(
            self._client.v1.refunds.create_async(
                {  # type: ignore[arg-type]
                    target: payment_ref,
                    "amount": amount_cents,
                    "metadata": {"reason": reason},
                },
                {"idempotency_key": idempotency_key},
            )
        )
        return str(refund.id)

    async def erase_customer(self, customer_id: str, *, idempotency_key: str) -> None:
        await self._call(
            self._client.v1.customers.delete_async(
                customer_id, options={"idempotency_key": idempotency_key}
            )
        )

    async def price_id(self, plan_id: str) -> str:
        """The Stripe Price of ``plan_id`` (its lookup key), made with its Product when
        missing."""
        if plan_id in self._prices:
            return self._prices[plan_id]
        plan = self._catalog.get(plan_id)
        found = await self._call(
            self._client.v1.prices.list_async({"lookup_keys": [plan.id], "limit": 1})
        )
        if found.data:
            price_id = str(found.data[0].id)
        else:
            params: dict[str, Any] = {
                "currency": plan.currency,
                "unit_amount": plan.unit_amount_cents,
                "lookup_key": plan.id,
                "product_data": {"name": plan.name},
            }
            if plan.interval is not Interval.NONE:
                params["recurring"] = {"interval": plan.interval.value}
            price = await self._call(
                self._client.v1.prices.create_async(
                    params,  # type: ignore[arg-type]
                    {"idempotency_key": f"price-{plan.id}-{plan.unit_amount_cents}"},
                )
            )
            price_id = str(price.id)
        self._prices[plan_id] = price_id
        return price_id

    @staticmethod
    async def _call(pending: Any) -> Any:
        try:
            return await pending
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            raise DependencyUnavailable(f"Stripe did not answer: {exc.user_message}") from exc
        except (stripe.AuthenticationError, stripe.PermissionError) as exc:
            # The platform's key, not the learner's request: a 503 and an operator's fix.
            raise DependencyUnavailable(
                "Stripe refused the platform's API key; check CMH_PAYMENTS__STRIPE__API_KEY"
            ) from exc
        except stripe.APIError as exc:
            raise DependencyUnavailable(f"Stripe failed: {exc.user_message}") from exc
