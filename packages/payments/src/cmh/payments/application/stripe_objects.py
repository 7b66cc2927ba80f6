"""Reading the Stripe objects webhooks carry (``data.object``) into what the domain
needs. Stripe adds fields over API versions; only what is read here matters, and both the
older (``invoice.subscription``) and newer (``invoice.parent.subscription_details``)
places are read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cmh.payments.domain.subscription import StripeSubscriptionState, SubscriptionStatus

# Stripe's ``paused`` (a trial ended without a payment method) gives no access, like unpaid.
_STATUS = {status.value: status for status in SubscriptionStatus} | {
    "paused": SubscriptionStatus.UNPAID
}


def _when(stamp: Any) -> datetime | None:
    return datetime.fromtimestamp(int(stamp), UTC) if stamp else None


def _first_item(subscription: dict[str, Any]) -> dict[str, Any]:
    items = (subscription.get("items") or {}).get("data") or [{}]
    first: dict[str, Any] = items[0]
    return first


def plan_id_of(subscription: dict[str, Any]) -> str | None:
    """Our plan id: the price's lookup key, else the metadata checkout put there."""
    price = _first_item(subscription).get("price") or {}
    found = price.get("lookup_key") or (subscription.get("metadata") or {}).get("plan_id")
    return str(found) if found else None


def subscription_state(subscription: dict[str, Any], plan_id: str) -> StripeSubscriptionState:
    item = _first_item(subscription)
    period_end = subscription.get("current_period_end") or item.get("current_period_end")
    return StripeSubscriptionState(
        status=_STATUS.get(str(subscription.get("status")), SubscriptionStatus.INCOMPLETE),
        plan_id=plan_id,
        seats=int(item.get("quantity") or subscription.get("quantity") or 1),
        cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
        current_period_end=_when(period_end),
    )


def metadata_user(obj: dict[str, Any]) -> str | None:
    found = (obj.get("metadata") or {}).get("user_id") or obj.get("client_reference_id")
    return str(found) if found else None


def invoice_subscription(invoice: dict[str, Any]) -> str | None:
    found = invoice.get("subscription")
    if isinstance(found, dict):
        found = found.get("id")
    if not found:
        details = (invoice.get("parent") or {}).get("subscription_details") or {}
        found = details.get("subscription")
    return str(found) if found else None


def invoice_plan(invoice: dict[str, Any]) -> str | None:
    for line in (invoice.get("lines") or {}).get("data") or []:
        price = line.get("price") or (line.get("pricing") or {}).get("price_details") or {}
        if isinstance(price, dict) and price.get("lookup_key"):
            return str(price["lookup_key"])
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    found = (details.get("metadata") or {}).get("plan_id")
    return str(found) if found else None


def payment_ref(obj: dict[str, Any]) -> str | None:
    """The charge (or payment intent) a refund is made against."""
    for key in ("charge", "payment_intent"):
        found = obj.get(key)
        if isinstance(found, dict):
            found = found.get("id")
        if found:
            return str(found)
    return None


def refunds_of(charge: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (charge.get("refunds") or {}).get("data") or []
    return found
