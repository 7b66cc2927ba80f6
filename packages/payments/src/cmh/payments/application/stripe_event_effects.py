"""What each Stripe event does to Payments' state, inside the caller's transaction.

Handled: checkout.session.completed, customer.subscription.created / updated / deleted,
invoice.paid, invoice.payment_failed, charge.refunded. Others are stored and ignored.
An event that refers to something not known yet (an invoice before its subscription's
checkout) raises ``NotYetKnown``: the event stays pending and is tried again, so the
order Stripe delivers in does not matter.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cmh.kernel.clock import Clock
from cmh.payments.application.policy import BillingPolicy
from cmh.payments.application.ports import (
    CustomerRepository,
    PaymentRepository,
    StripeEvent,
    SubscriptionRepository,
    TierChanges,
)
from cmh.payments.application.stripe_objects import (
    invoice_plan,
    invoice_subscription,
    metadata_user,
    payment_ref,
    plan_id_of,
    refunds_of,
    subscription_state,
)
from cmh.payments.domain.payment import Payment, PaymentKind, PaymentStatus, Refund
from cmh.payments.domain.plans import PlanCatalog, PlanKind
from cmh.payments.domain.subscription import Subscription, best_tier


class NotYetKnown(Exception):
    """The event refers to a customer, subscription or payment not received yet."""


class StripeEventEffects:
    def __init__(
        self,
        subscriptions: SubscriptionRepository,
        payments: PaymentRepository,
        customers: CustomerRepository,
        tiers: TierChanges,
        catalog: PlanCatalog,
        policy: BillingPolicy,
        clock: Clock,
    ) -> None:
        self._subscriptions = subscriptions
        self._payments = payments
        self._customers = customers
        self._tiers = tiers
        self._catalog = catalog
        self._policy = policy
        self._clock = clock

    async def apply(self, event: StripeEvent) -> None:
        obj = event.object
        match event.type:
            case "checkout.session.completed":
                await self._checkout_completed(obj, event)
            case "customer.subscription.created" | "customer.subscription.updated":
                await self._subscription_reported(obj, event)
            case "customer.subscription.deleted":
                await self._subscription_deleted(obj, event)
            case "invoice.paid":
                await self._invoice_paid(obj, event)
            case "invoice.payment_failed":
                await self._invoice_failed(obj, event)
            case "charge.refunded":
                await self._charge_refunded(obj)

    async def _checkout_completed(self, session: dict[str, Any], event: StripeEvent) -> None:
        user_id = metadata_user(session)
        customer_id = session.get("customer")
        if (
            user_id
            and customer_id
            and await self._customers.customer_of(user_id) is None
            and await self._customers.user_of(str(customer_id)) is None
        ):
            await self._customers.add(user_id, str(customer_id))
        if session.get("mode") != "payment" or user_id is None:
            return  # a subscription's state comes with its own events
        plan = self._catalog.find((session.get("metadata") or {}).get("plan_id"))
        if plan is None or plan.kind is not PlanKind.LAB_HOURS_PACK:
            return
        if await self._payments.get(str(session["id"])) is not None:
            return
        now = self._clock.now()
        pack = Payment(
            id=str(session["id"]),
            user_id=user_id,
            plan_id=plan.id,
            kind=PaymentKind.LAB_HOURS_PACK,
            amount_cents=int(session.get("amount_total") or plan.amount_cents()),
            currency=str(session.get("currency") or plan.currency),
            status=PaymentStatus.OPEN,
            created_at=now,
            lab_hours=plan.lab_hours,
        )
        if session.get("payment_status") == "paid":
            pack.paid(charge_id=payment_ref(session), now=now)
        await self._payments.add(pack)

    async def _subscription_reported(self, obj: dict[str, Any], event: StripeEvent) -> None:
        subscription = await self._subscriptions.get(str(obj["id"]))
        # A report without its price keeps the plan the subscription is known to have.
        known = subscription.plan_id if subscription is not None else None
        plan = self._catalog.find(plan_id_of(obj) or known)
        if plan is None:
            raise NotYetKnown(f"subscription {obj.get('id')} is on no plan sold here")
        state = subscription_state(obj, plan.id)
        now = self._clock.now()
        if subscription is None:
            user_id = metadata_user(obj) or await self._customers.user_of(str(obj.get("customer")))
            if user_id is None:
                raise NotYetKnown(f"customer {obj.get('customer')} is not known yet")
            subscription = Subscription.started(
                subscription_id=str(obj["id"]),
                user_id=user_id,
                customer_id=str(obj.get("customer")),
                plan=plan,
                state=state,
                stripe_at=event.created,
                now=now,
            )
            await self._subscriptions.add(subscription)
        elif subscription.observe(state, plan, stripe_at=event.created, now=now):
            await self._subscriptions.save(subscription)
        else:
            return
        await self.retier(subscription, "subscription " + subscription.status.value)

    async def _subscription_deleted(self, obj: dict[str, Any], event: StripeEvent) -> None:
        subscription = await self._subscriptions.get(str(obj["id"]))
        if subscription is None:
            await self._subscription_reported(obj, event)
            return
        if subscription.ended(stripe_at=event.created, now=self._clock.now()):
            await self._subscriptions.save(subscription)
            await self.retier(subscription, "subscription canceled")

    async def _invoice(self, invoice: dict[str, Any]) -> tuple[Payment, bool]:
        """The payment of ``invoice``, and whether it is new."""
        found = await self._payments.get(str(invoice["id"]))
        if found is not None:
            return found, False
        subscription_id = invoice_subscription(invoice)
        subscription = await self._subscriptions.get(subscription_id) if subscription_id else None
        user_id = (
            subscription.user_id
            if subscription
            else await self._customers.user_of(str(invoice.get("customer")))
        )
        plan_id = subscription.plan_id if subscription else invoice_plan(invoice)
        if user_id is None or plan_id is None:
            raise NotYetKnown(f"invoice {invoice.get('id')} of a customer not known yet")
        amount = invoice.get("amount_paid") or invoice.get("amount_due") or 0
        payment = Payment(
            id=str(invoice["id"]),
            user_id=user_id,
            plan_id=plan_id,
            kind=PaymentKind.SUBSCRIPTION,
            amount_cents=int(amount),
            currency=str(invoice.get("currency") or "usd"),
            status=PaymentStatus.OPEN,
            created_at=self._clock.now(),
            subscription_id=subscription_id,
        )
        return payment, True

    async def _keep(self, payment: Payment, new: bool) -> None:
        if new:
            await self._payments.add(payment)
        else:
            await self._payments.save(payment)

    async def _invoice_paid(self, invoice: dict[str, Any], event: StripeEvent) -> None:
        payment, new = await self._invoice(invoice)
        payment.amount_cents = int(invoice.get("amount_paid") or payment.amount_cents)
        if payment.paid(charge_id=payment_ref(invoice), now=self._clock.now()) or new:
            await self._keep(payment, new)
        if payment.subscription_id is None:
            return
        subscription = await self._subscriptions.get(payment.subscription_id)
        if subscription is not None and subscription.payment_succeeded(
            stripe_at=event.created, now=self._clock.now()
        ):
            await self._subscriptions.save(subscription)
            await self.retier(subscription, "payment recovered")

    async def _invoice_failed(self, invoice: dict[str, Any], event: StripeEvent) -> None:
        payment, new = await self._invoice(invoice)
        error = (invoice.get("last_finalization_error") or {}).get("code")
        attempt = int(invoice.get("attempt_count") or payment.failed_attempts + 1)
        if (
            payment.failed(
                attempt=attempt, reason=str(error or "payment_failed"), now=self._clock.now()
            )
            or new
        ):
            await self._keep(payment, new)
        if payment.subscription_id is None:
            return
        subscription = await self._subscriptions.get(payment.subscription_id)
        if subscription is not None and subscription.payment_failed(
            stripe_at=event.created, now=self._clock.now(), grace=self._policy.grace
        ):
            await self._subscriptions.save(subscription)
            await self.retier(subscription, "payment failed")

    async def _charge_refunded(self, charge: dict[str, Any]) -> None:
        payment = None
        for ref in (charge.get("id"), payment_ref(charge), charge.get("invoice")):
            if ref and payment is None:
                payment = await self._payments.by_charge(str(ref)) or await self._payments.get(
                    str(ref)
                )
        if payment is None:
            raise NotYetKnown(f"charge {charge.get('id')} of no payment known yet")
        changed = False
        for refund in refunds_of(charge):
            at = refund.get("created")
            changed |= payment.refunded(
                Refund(
                    id=str(refund["id"]),
                    amount_cents=int(refund.get("amount") or 0),
                    reason=str(refund.get("reason") or "requested_by_customer"),
                    at=datetime.fromtimestamp(int(at), UTC) if at else self._clock.now(),
                )
            )
        if changed:
            await self._payments.save(payment)

    async def retier(self, subscription: Subscription, reason: str) -> None:
        """Ask users for the tier each covered account should now have (the best any of
        its subscriptions gives)."""
        for user_id in subscription.tiers(self._clock.now()):
            await self.retier_user(user_id, reason)

    async def retier_user(self, user_id: str, reason: str) -> None:
        now = self._clock.now()
        covering = await self._subscriptions.covering(user_id)
        await self._tiers.want(user_id, best_tier(covering, user_id, now), reason)
