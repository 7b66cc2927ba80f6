"""dishka providers of the Payments context, one per adapter family.

A composition root takes the kernel's providers (clock, SQL, bus, auth, ``PrincipalProvider``,
dishka's ``LitestarProvider``) and adds:

- ``PaymentsSqlProvider`` or ``PaymentsMemoryProvider`` for the stores,
- Stripe: ``StandInStripeProvider`` (the local stand-in that posts signed webhooks back)
  or ``SdkStripeProvider`` (the official SDK; key and webhook secret from the settings),
- users' tier endpoint: ``MemoryUsersProvider`` (the embedded platform's in-process
  bridge replaces it) or ``UsersHttpProvider`` (service token, retries),
- ``PaymentsUseCasesProvider`` (use cases, the catalogue, the billing policy and the
  background work).

Context value: ``PaymentsSettings``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import httpx
from dishka import AsyncContainer, Provider, Scope, alias, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.kernel.event_mapping import EventMap
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork
from cmh.payments.adapters.labs.hours import HttpLabHours
from cmh.payments.adapters.memory.labs import MemoryLabHours
from cmh.payments.adapters.memory.stores import (
    MemoryCustomerRepository,
    MemoryPaymentRepository,
    MemoryRefundSagaRepository,
    MemoryStripeEventStore,
    MemorySubscriptionRepository,
    MemoryTierChanges,
)
from cmh.payments.adapters.memory.users import MemoryUsersTiers
from cmh.payments.adapters.service_tokens import ServiceTokens
from cmh.payments.adapters.sql.stores import (
    SqlCustomerRepository,
    SqlPaymentRepository,
    SqlRefundSagaRepository,
    SqlStripeEventStore,
    SqlSubscriptionRepository,
    SqlTierChanges,
)
from cmh.payments.adapters.standin.deliveries import StandInDeliveries
from cmh.payments.adapters.standin.stripe import StandInStripe
from cmh.payments.adapters.stripe_sdk.gateway import SdkStripeGateway
from cmh.payments.adapters.stripe_sdk.webhooks import StripeWebhookVerifier
from cmh.payments.adapters.users.tiers import HttpUsersTiers
from cmh.payments.application.admin_refund_sagas import AdminRefundSagas
from cmh.payments.application.admin_refunds import AdminRefunds
from cmh.payments.application.admin_subscriptions import AdminSubscriptions
from cmh.payments.application.admin_tier_changes import AdminTierChanges
from cmh.payments.application.advance_refund_sagas import AdvanceRefundSagas
from cmh.payments.application.change_my_plan import ChangeMyPlan
from cmh.payments.application.handle_next_stripe_event import HandleNextStripeEvent
from cmh.payments.application.handle_user_erasure import HandleUserErasure
from cmh.payments.application.list_plans import ListPlans
from cmh.payments.application.manage_seats import ManageSeats
from cmh.payments.application.my_payments import MyPayments
from cmh.payments.application.my_subscription import MySubscription
from cmh.payments.application.open_portal import OpenPortal
from cmh.payments.application.policy import BillingPolicy
from cmh.payments.application.ports import (
    CustomerRepository,
    LabHours,
    PaymentRepository,
    RefundSagaRepository,
    StripeEventStore,
    StripeGateway,
    SubscriptionRepository,
    TierChanges,
    UsersTiers,
    WebhookVerifier,
)
from cmh.payments.application.push_next_tier_change import PushNextTierChange
from cmh.payments.application.receive_stripe_webhook import ReceiveStripeWebhook
from cmh.payments.application.schedule_cancellation import ScheduleCancellation
from cmh.payments.application.settle_grace_periods import SettleGracePeriods
from cmh.payments.application.start_checkout import StartCheckout
from cmh.payments.application.start_refund_saga import StartRefundSaga
from cmh.payments.application.stripe_event_effects import StripeEventEffects
from cmh.payments.background import PaymentsWork
from cmh.payments.consumers.handlers import LabSessionEndedHandler, UserErasureHandler
from cmh.payments.domain.plans import PlanCatalog
from cmh.payments.settings import PaymentsSettings


class PaymentsSqlProvider(Provider):
    """Stores on the request's ``AsyncSession``, sharing the unit of work's transaction.
    Run ``PAYMENTS_MIGRATIONS`` before serving."""

    scope = Scope.REQUEST

    @provide
    def subscriptions(self, session: AsyncSession, uow: UnitOfWork) -> SubscriptionRepository:
        return SqlSubscriptionRepository(session, uow)

    @provide
    def payments(self, session: AsyncSession, uow: UnitOfWork) -> PaymentRepository:
        return SqlPaymentRepository(session, uow)

    @provide
    def customers(self, session: AsyncSession) -> CustomerRepository:
        return SqlCustomerRepository(session)

    @provide
    def events(self, session: AsyncSession) -> StripeEventStore:
        return SqlStripeEventStore(session)

    @provide
    def tiers(self, session: AsyncSession) -> TierChanges:
        return SqlTierChanges(session)

    @provide
    def sagas(self, session: AsyncSession) -> RefundSagaRepository:
        return SqlRefundSagaRepository(session)


class PaymentsMemoryProvider(Provider):
    """In-memory stores staged in the kernel ``InMemoryUnitOfWork`` (also the
    ``UnitOfWork``)."""

    scope = Scope.APP
    subscriptions = provide(MemorySubscriptionRepository, provides=SubscriptionRepository)
    payments = provide(MemoryPaymentRepository, provides=PaymentRepository)
    customers = provide(MemoryCustomerRepository, provides=CustomerRepository)
    events = provide(MemoryStripeEventStore, provides=StripeEventStore)
    tiers = provide(MemoryTierChanges, provides=TierChanges)
    sagas = provide(MemoryRefundSagaRepository, provides=RefundSagaRepository)
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork("cloudmastershub/payments", events)


class StandInStripeProvider(Provider):
    """The Stripe stand-in, posting webhooks to ``PaymentsSettings.public_base_url``
    signed with ``stripe.webhook_secret`` (or a secret of its own for this process)."""

    scope = Scope.APP
    gateway = alias(source=StandInStripe, provides=StripeGateway)

    @provide
    def stand_in(self, settings: PaymentsSettings, catalog: PlanCatalog) -> StandInStripe:
        secret = settings.stripe.webhook_secret or f"whsec_{secrets.token_hex(24)}"
        return StandInStripe(catalog=catalog, secret=secret, base_url=settings.public_base_url)

    @provide
    def deliveries(self, stand_in: StandInStripe) -> StandInDeliveries:
        return StandInDeliveries(stand_in)

    @provide
    def verifier(self, stand_in: StandInStripe, settings: PaymentsSettings) -> WebhookVerifier:
        return StripeWebhookVerifier(stand_in.secret, settings.stripe.tolerance_seconds)


class SdkStripeProvider(Provider):
    """Stripe through its SDK; no API key or webhook secret, no start."""

    scope = Scope.APP

    @provide
    def gateway(self, settings: PaymentsSettings, catalog: PlanCatalog) -> StripeGateway:
        return SdkStripeGateway(settings.stripe, catalog)

    @provide
    def verifier(self, settings: PaymentsSettings) -> WebhookVerifier:
        return StripeWebhookVerifier(
            settings.stripe.webhook_secret, settings.stripe.tolerance_seconds
        )


class MemoryUsersProvider(Provider):
    """A users service and labs' ledger in memory (``MemoryUsersTiers``,
    ``MemoryLabHours``); the embedded platform's in-process bridges replace them."""

    scope = Scope.APP
    users = alias(source=MemoryUsersTiers, provides=UsersTiers)
    labs = alias(source=MemoryLabHours, provides=LabHours)

    @provide
    def memory_labs(self) -> MemoryLabHours:
        return MemoryLabHours()

    @provide
    def memory_users(self) -> MemoryUsersTiers:
        return MemoryUsersTiers()


class UsersHttpProvider(Provider):
    """Tiers to the users service over HTTP (``PaymentsSettings.users``)."""

    scope = Scope.APP

    @provide
    def tokens(self, http: httpx.AsyncClient, settings: PaymentsSettings) -> ServiceTokens:
        return ServiceTokens(http, settings.users)

    @provide
    def users(
        self, http: httpx.AsyncClient, settings: PaymentsSettings, tokens: ServiceTokens
    ) -> UsersTiers:
        return HttpUsersTiers(http, settings.users, tokens)

    @provide
    def labs(
        self, http: httpx.AsyncClient, settings: PaymentsSettings, tokens: ServiceTokens
    ) -> LabHours:
        return HttpLabHours(http, tokens, settings.labs_url)


class PaymentsUseCasesProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def catalog(self) -> PlanCatalog:
        return PlanCatalog()

    @provide(scope=Scope.APP)
    def policy(self, settings: PaymentsSettings) -> BillingPolicy:
        base = settings.public_base_url.rstrip("/")
        return BillingPolicy(
            grace=timedelta(days=settings.grace_days),
            success_url=f"{base}/billing/success?session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=f"{base}/billing/cancelled",
            portal_return_url=f"{base}/billing",
        )

    @provide(scope=Scope.APP)
    def work(self, container: AsyncContainer, settings: PaymentsSettings) -> PaymentsWork:
        return PaymentsWork(container, settings.poll_seconds)

    effects = provide(StripeEventEffects)
    commands = provide_all(
        ReceiveStripeWebhook,
        HandleNextStripeEvent,
        PushNextTierChange,
        SettleGracePeriods,
        StartCheckout,
        ScheduleCancellation,
        ChangeMyPlan,
        OpenPortal,
        ManageSeats,
        HandleUserErasure,
        StartRefundSaga,
        AdvanceRefundSagas,
    )
    queries = provide_all(
        ListPlans,
        MySubscription,
        MyPayments,
        AdminSubscriptions,
        AdminRefunds,
        AdminTierChanges,
        AdminRefundSagas,
    )
    handlers = provide_all(UserErasureHandler, LabSessionEndedHandler)


__all__ = [
    "MemoryUsersProvider",
    "PaymentsMemoryProvider",
    "PaymentsSqlProvider",
    "PaymentsUseCasesProvider",
    "SdkStripeProvider",
    "StandInStripeProvider",
    "UsersHttpProvider",
]
