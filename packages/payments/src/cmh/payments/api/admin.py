"""Admins' views of billing: subscriptions by status, refunds, tiers waiting for users."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import FromQuery

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.web.guards import requires_role
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.payments.application.admin_refund_sagas import AdminRefundSagas
from cmh.payments.application.admin_refunds import AdminRefunds
from cmh.payments.application.admin_subscriptions import AdminSubscriptions
from cmh.payments.application.admin_tier_changes import AdminTierChanges
from cmh.payments.application.views import (
    PaymentView,
    RefundSagaView,
    SubscriptionView,
    TierSyncView,
)
from cmh.payments.domain.subscription import SubscriptionStatus

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class AdminPaymentsController(Controller):
    path = "/api/v1/admin/payments"
    tags = ["admin"]
    security = BEARER
    guards = [requires_role(Role.ADMIN, code="admin_only")]

    @get(
        "/subscriptions",
        operation_id="admin_payments_subscriptions",
        responses=problem_responses(403),
        summary="Subscriptions, optionally of one status",
    )
    @inject
    async def subscriptions(
        self,
        caller: FromDishka[Principal],
        query: FromDishka[AdminSubscriptions],
        status: FromQuery[SubscriptionStatus | None] = None,
    ) -> list[SubscriptionView]:
        return await query.execute(caller, status)

    @get(
        "/refunds",
        operation_id="admin_payments_refunds",
        responses=problem_responses(403),
        summary="Payments with refunds",
    )
    @inject
    async def refunds(
        self, caller: FromDishka[Principal], query: FromDishka[AdminRefunds]
    ) -> list[PaymentView]:
        return await query.execute(caller)

    @get(
        "/tier-changes",
        operation_id="admin_payments_tier_changes",
        responses=problem_responses(403),
        summary="Tiers paid for that users has not taken yet",
    )
    @inject
    async def tier_changes(
        self, caller: FromDishka[Principal], query: FromDishka[AdminTierChanges]
    ) -> list[TierSyncView]:
        return await query.execute(caller)

    @get(
        "/refund-sagas",
        operation_id="admin_payments_refund_sagas",
        responses=problem_responses(403),
        summary="Refund sagas of lab sessions the platform failed, and where each stands",
    )
    @inject
    async def refund_sagas(
        self, caller: FromDishka[Principal], query: FromDishka[AdminRefundSagas]
    ) -> list[RefundSagaView]:
        return await query.execute(caller)
