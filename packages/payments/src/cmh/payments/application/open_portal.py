"""A link to Stripe's customer portal (cards, invoices, cancellation) for the caller."""

from __future__ import annotations

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import IdGenerator
from cmh.payments.application.policy import BillingPolicy
from cmh.payments.application.ports import CustomerRepository, StripeGateway
from cmh.payments.application.views import PortalView
from cmh.payments.domain.errors import SubscriptionNotFound


class OpenPortal:
    def __init__(
        self,
        customers: CustomerRepository,
        stripe: StripeGateway,
        policy: BillingPolicy,
        ids: IdGenerator,
    ) -> None:
        self._customers = customers
        self._stripe = stripe
        self._policy = policy
        self._ids = ids

    async def execute(self, caller: Principal) -> PortalView:
        customer_id = await self._customers.customer_of(caller.user_id)
        if customer_id is None:
            raise SubscriptionNotFound("nothing bought yet", code="customer_not_found")
        url = await self._stripe.portal(
            customer_id,
            self._policy.portal_return_url,
            idempotency_key=f"portal-{self._ids.new_id()}",
        )
        return PortalView(url=url)
