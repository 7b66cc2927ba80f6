"""A learner's Stripe customer, created once: the idempotency key is the user's, so even
two checkouts started at once make one customer at Stripe."""

from __future__ import annotations

from cmh.payments.application.ports import CustomerRepository, StripeGateway


async def customer_for(user_id: str, customers: CustomerRepository, stripe: StripeGateway) -> str:
    found = await customers.customer_of(user_id)
    if found is not None:
        return found
    customer_id = await stripe.create_customer(user_id, idempotency_key=f"customer-{user_id}")
    await customers.add(user_id, customer_id)
    return customer_id
