"""A local stand-in for Stripe (embedded profile, journeys): it keeps customers, checkout
sessions and subscriptions, and posts webhooks signed exactly as Stripe signs them to the
platform's webhook endpoint, so the whole billing flow runs without a Stripe account:
checkout URL -> the stand-in's pay endpoint -> signed webhooks -> tier updated.

Like Stripe, it delivers webhooks after answering: ``flush`` posts what is queued."""

from __future__ import annotations

import asyncio
import copy
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog

from cmh.kernel.errors import DependencyUnavailable, NotFound
from cmh.payments.adapters.stripe_sdk.signing import event_body, stripe_signature
from cmh.payments.application.ports import CheckoutRequest, CheckoutSession
from cmh.payments.domain.plans import Interval, PlanCatalog

log = structlog.get_logger("cmh.payments.stand_in")
MONTH = 30 * 24 * 3600
YEAR = 365 * 24 * 3600
PAY_PATH = "/api/v1/payments/stand-in/checkout/{session_id}/pay"
WEBHOOK_PATH = "/api/v1/payments/webhooks/stripe"


@dataclass
class _Delivery:
    kind: str
    obj: dict[str, Any]


@dataclass
class StandInStripe:
    """``base_url``: where this process answers (the checkout URL and the webhook go
    there); ``secret``: the webhook endpoint's secret the platform verifies with."""

    catalog: PlanCatalog
    secret: str
    base_url: str
    now: Callable[[], int] = field(default=lambda: int(time.time()))
    http: httpx.AsyncClient | None = None
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    delivered: list[str] = field(default_factory=list)
    _keys: dict[str, Any] = field(default_factory=dict)
    _pending: list[_Delivery] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    # -- the Stripe API (the ``StripeGateway`` port) -------------------------------------

    async def create_customer(self, user_id: str, *, idempotency_key: str) -> str:
        if idempotency_key in self._keys:
            return str(self._keys[idempotency_key])
        customer_id = self._id("cus")
        self.customers[customer_id] = {"id": customer_id, "metadata": {"user_id": user_id}}
        self._keys[idempotency_key] = customer_id
        return customer_id

    async def checkout(self, request: CheckoutRequest) -> CheckoutSession:
        if request.idempotency_key in self._keys:
            found = self._keys[request.idempotency_key]
            assert isinstance(found, CheckoutSession)
            return found
        session_id = self._id("cs_test")
        plan = self.catalog.get(request.plan_id)
        self.sessions[session_id] = {
            "id": session_id,
            "object": "checkout.session",
            "mode": request.mode,
            "customer": request.customer_id,
            "client_reference_id": request.user_id,
            "metadata": {"user_id": request.user_id, "plan_id": plan.id},
            "amount_total": plan.amount_cents(request.quantity),
            "currency": plan.currency,
            "quantity": request.quantity,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": request.success_url,
        }
        url = self.base_url.rstrip("/") + PAY_PATH.format(session_id=session_id)
        session = CheckoutSession(id=session_id, url=url)
        self._keys[request.idempotency_key] = session
        return session

    async def change_plan(
        self, subscription_id: str, plan_id: str, quantity: int, *, idempotency_key: str
    ) -> None:
        subscription = self._subscription(subscription_id)
        if self._keys.setdefault(idempotency_key, subscription_id) is not subscription_id:
            return
        plan = self.catalog.get(plan_id)
        subscription["items"]["data"][0]["price"] = {
            "id": f"price_{plan.id}",
            "lookup_key": plan.id,
        }
        subscription["items"]["data"][0]["quantity"] = quantity
        subscription["metadata"]["plan_id"] = plan.id
        self._send("customer.subscription.updated", subscription)

    async def cancel_at_period_end(
        self, subscription_id: str, cancel: bool, *, idempotency_key: str
    ) -> None:
        subscription = self._subscription(subscription_id)
        if self._keys.setdefault(idempotency_key, subscription_id) is not subscription_id:
            return
        subscription["cancel_at_period_end"] = cancel
        self._send("customer.subscription.updated", subscription)

    async def portal(self, customer_id: str, return_url: str, *, idempotency_key: str) -> str:
        return (
            f"{self.base_url.rstrip('/')}/api/v1/payments/stand-in/portal?return_url={return_url}"
        )

    async def refund(
        self, payment_ref: str, amount_cents: int, *, reason: str, idempotency_key: str
    ) -> str:
        if idempotency_key in self._keys:
            return str(self._keys[idempotency_key])
        charge = self.charges.get(payment_ref) or next(
            (c for c in self.charges.values() if c.get("payment_intent") == payment_ref), None
        )
        if charge is None:
            raise NotFound(f"no charge {payment_ref}", code="charge_not_found")
        refund_id = self._id("re")
        charge["refunds"]["data"].append(
            {
                "id": refund_id,
                "amount": amount_cents,
                "reason": "requested_by_customer",
                "created": self.now(),
            }
        )
        charge["amount_refunded"] += amount_cents
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        self._keys[idempotency_key] = refund_id
        self._send("charge.refunded", charge)
        return refund_id

    async def erase_customer(self, customer_id: str, *, idempotency_key: str) -> None:
        self.customers.pop(customer_id, None)

    # -- what Stripe's hosted pages would do ---------------------------------------------

    async def pay(self, session_id: str, *, declined: bool = False) -> list[str]:
        """The learner pays (or their card is declined) on the checkout page: Stripe's
        webhooks for it are posted, signed; the ids of the events delivered."""
        session = self.sessions.get(session_id)
        if session is None or session["status"] != "open":
            raise NotFound(f"no open checkout session {session_id}", code="checkout_not_found")
        before = len(self.delivered)
        session["status"] = "complete"
        plan = self.catalog.get(session["metadata"]["plan_id"])
        charge_id = self._id("ch")
        if session["mode"] == "payment":
            intent = self._id("pi")
            session["payment_intent"] = intent
            session["payment_status"] = "unpaid" if declined else "paid"
            self._charge(charge_id, session, intent=intent)
            self._queue("checkout.session.completed", session)
            await self.flush()
            return self.delivered[before:]
        subscription_id = self._id("sub")
        start = self.now()
        period = YEAR if plan.interval is Interval.YEAR else MONTH
        subscription = {
            "id": subscription_id,
            "object": "subscription",
            "customer": session["customer"],
            "status": "incomplete" if declined else "active",
            "cancel_at_period_end": False,
            "current_period_end": start + period,
            "metadata": dict(session["metadata"]),
            "items": {
                "data": [
                    {
                        "price": {"id": f"price_{plan.id}", "lookup_key": plan.id},
                        "quantity": session["quantity"],
                        "current_period_end": start + period,
                    }
                ]
            },
        }
        self.subscriptions[subscription_id] = subscription
        session["subscription"] = subscription_id
        session["payment_status"] = "unpaid" if declined else "paid"
        invoice = {
            "id": self._id("in"),
            "object": "invoice",
            "customer": session["customer"],
            "subscription": subscription_id,
            "amount_paid": 0 if declined else session["amount_total"],
            "amount_due": session["amount_total"],
            "currency": session["currency"],
            "charge": charge_id,
            "attempt_count": 1,
            "lines": {"data": [{"price": {"lookup_key": plan.id}}]},
        }
        self._charge(charge_id, session, invoice=invoice["id"])
        self._queue("checkout.session.completed", session)
        self._queue("customer.subscription.created", subscription)
        self._queue("invoice.payment_failed" if declined else "invoice.paid", invoice)
        await self.flush()
        return self.delivered[before:]

    @property
    def undelivered(self) -> int:
        return len(self._pending)

    async def flush(self) -> None:
        """Post every pending webhook, in order."""
        async with self._lock:
            while self._pending:
                await self._post(self._pending.pop(0))

    # -- inside --------------------------------------------------------------------------

    def _queue(self, kind: str, obj: dict[str, Any]) -> None:
        self._pending.append(_Delivery(kind, copy.deepcopy(obj)))

    def _send(self, kind: str, obj: dict[str, Any]) -> None:
        """Queued; posted by the next ``flush`` (``StandInDeliveries`` in the embedded
        process, the pay endpoint, or a test)."""
        self._queue(kind, obj)

    async def _post(self, delivery: _Delivery) -> None:
        event_id = self._id("evt")
        body = event_body(event_id, delivery.kind, self.now(), delivery.obj)
        headers = {
            "Stripe-Signature": stripe_signature(body, self.secret, self.now()),
            "Content-Type": "application/json",
        }
        url = self.base_url.rstrip("/") + WEBHOOK_PATH
        try:
            if self.http is not None:
                answer = await self.http.post(url, content=body, headers=headers)
            else:
                async with httpx.AsyncClient(timeout=10) as http:
                    answer = await http.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            self._pending.insert(0, delivery)  # Stripe retries a webhook it could not deliver
            raise DependencyUnavailable(f"the platform's webhook did not answer: {exc!r}") from exc
        log.info(
            "stand_in_webhook", event_id=event_id, type=delivery.kind, status=answer.status_code
        )
        self.delivered.append(event_id)

    def _charge(self, charge_id: str, session: dict[str, Any], **refs: str) -> None:
        self.charges[charge_id] = {
            "id": charge_id,
            "object": "charge",
            "amount": session["amount_total"],
            "amount_refunded": 0,
            "currency": session["currency"],
            "customer": session["customer"],
            "payment_intent": refs.get("intent"),
            "invoice": refs.get("invoice"),
            "refunded": False,
            "refunds": {"data": []},
        }

    def _subscription(self, subscription_id: str) -> dict[str, Any]:
        """A subscription this stand-in made, or one the platform made before this
        process started (its state lives in memory): adopted as active."""
        return self.subscriptions.setdefault(
            subscription_id,
            {
                "id": subscription_id,
                "object": "subscription",
                "status": "active",
                "cancel_at_period_end": False,
                "metadata": {},
                "items": {"data": [{"price": {}, "quantity": 1}]},
            },
        )

    def _id(self, prefix: str) -> str:
        return f"{prefix}_standin{next(self._ids):06d}"
