"""GDPR erasure: the learner's Stripe customer is deleted through Stripe's API (its
personal data with it; Stripe cancels its subscriptions and says so by webhook), the
link to it is forgotten, and their payments stay as bookkeeping requires, anonymised."""

from __future__ import annotations

from cmh.kernel.uow import UnitOfWork
from cmh.payments.application.ports import CustomerRepository, PaymentRepository, StripeGateway


class HandleUserErasure:
    def __init__(
        self,
        customers: CustomerRepository,
        payments: PaymentRepository,
        stripe: StripeGateway,
        uow: UnitOfWork,
    ) -> None:
        self._customers = customers
        self._payments = payments
        self._stripe = stripe
        self._uow = uow

    async def execute(self, user_id: str) -> None:
        async with self._uow:
            customer_id = await self._customers.customer_of(user_id)
            if customer_id is not None:
                # The key is the user's: a redelivered erasure deletes once at Stripe.
                await self._stripe.erase_customer(customer_id, idempotency_key=f"erase-{user_id}")
                await self._customers.forget(user_id)
            for payment in await self._payments.of_user(user_id):
                payment.anonymise()
                await self._payments.save(payment)
            await self._uow.commit()
