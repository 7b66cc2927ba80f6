"""The learner's billing: plans (anyone), checkout, their subscription (cancel at the
period's end, resume, change plan), the Stripe customer portal, their invoices."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.payments.api.schemas import CheckoutCreate, PlanChange, SeatAssignment
from cmh.payments.application.change_my_plan import ChangeMyPlan
from cmh.payments.application.list_plans import ListPlans
from cmh.payments.application.manage_seats import ManageSeats
from cmh.payments.application.my_payments import MyPayments
from cmh.payments.application.my_subscription import MySubscription
from cmh.payments.application.open_portal import OpenPortal
from cmh.payments.application.schedule_cancellation import ScheduleCancellation
from cmh.payments.application.start_checkout import StartCheckout
from cmh.payments.application.views import (
    CheckoutView,
    PaymentView,
    PlanView,
    PortalView,
    SubscriptionView,
)

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class PlansController(Controller):
    path = "/api/v1/payments/plans"
    tags = ["payments"]

    @get("", operation_id="payments_plans", summary="The plans on sale and their prices")
    @inject
    async def plans(self, plans: FromDishka[ListPlans]) -> list[PlanView]:
        return await plans.execute()


class BillingController(Controller):
    path = "/api/v1/payments"
    tags = ["payments"]
    security = BEARER

    @post(
        "/checkout",
        operation_id="payments_checkout",
        status_code=201,
        responses=problem_responses(404, 409, 503),
        summary="Start a Stripe Checkout Session for a plan",
        description="404 `plan_not_found`; 422 `plan_not_purchasable` / `invalid_quantity`; "
        "409 `already_subscribed` (change the plan instead).",
    )
    @inject
    async def checkout(
        self,
        data: JSONBody[CheckoutCreate],
        caller: FromDishka[Principal],
        start: FromDishka[StartCheckout],
    ) -> CheckoutView:
        return await start.execute(caller, data.plan_id, data.quantity)

    @get(
        "/subscription/me",
        operation_id="payments_subscription_mine",
        responses=problem_responses(404),
        summary="My subscription (404 `subscription_not_found` before the first)",
    )
    @inject
    async def mine(
        self, caller: FromDishka[Principal], subscription: FromDishka[MySubscription]
    ) -> SubscriptionView:
        return await subscription.execute(caller)

    @post(
        "/subscription/me/cancel",
        operation_id="payments_subscription_cancel",
        status_code=200,
        responses=problem_responses(404, 409, 503),
        summary="Cancel at the end of the paid period",
    )
    @inject
    async def cancel(
        self, caller: FromDishka[Principal], schedule: FromDishka[ScheduleCancellation]
    ) -> SubscriptionView:
        return await schedule.execute(caller, True)

    @post(
        "/subscription/me/resume",
        operation_id="payments_subscription_resume",
        status_code=200,
        responses=problem_responses(404, 409, 503),
        summary="Keep a subscription that was to end at the period's end",
    )
    @inject
    async def resume(
        self, caller: FromDishka[Principal], schedule: FromDishka[ScheduleCancellation]
    ) -> SubscriptionView:
        return await schedule.execute(caller, False)

    @post(
        "/subscription/me/plan",
        operation_id="payments_subscription_change_plan",
        status_code=202,
        responses=problem_responses(404, 409, 503),
        summary="Upgrade or downgrade now, prorated (Stripe's webhook confirms it)",
    )
    @inject
    async def change_plan(
        self,
        data: JSONBody[PlanChange],
        caller: FromDishka[Principal],
        change: FromDishka[ChangeMyPlan],
    ) -> SubscriptionView:
        return await change.execute(caller, data.plan_id, data.quantity)

    @post(
        "/subscription/me/seats",
        operation_id="payments_subscription_assign_seat",
        status_code=200,
        responses=problem_responses(404, 409),
        summary="Give a team seat to a member's account (the member gets the team tier)",
        description="409 `no_seat_left` when every seat bought is taken or the plan has none.",
    )
    @inject
    async def assign_seat(
        self,
        data: JSONBody[SeatAssignment],
        caller: FromDishka[Principal],
        seats: FromDishka[ManageSeats],
    ) -> SubscriptionView:
        return await seats.execute(caller, data.user_id, True)

    @delete(
        "/subscription/me/seats/{member_id:str}",
        operation_id="payments_subscription_release_seat",
        status_code=200,
        responses=problem_responses(409),
        summary="Take a team seat back",
    )
    @inject
    async def release_seat(
        self,
        member_id: FromPath[str],
        caller: FromDishka[Principal],
        seats: FromDishka[ManageSeats],
    ) -> SubscriptionView:
        return await seats.execute(caller, member_id, False)

    @post(
        "/portal",
        operation_id="payments_portal",
        status_code=200,
        responses=problem_responses(404, 503),
        summary="A link to Stripe's customer portal",
    )
    @inject
    async def portal(
        self, caller: FromDishka[Principal], portal: FromDishka[OpenPortal]
    ) -> PortalView:
        return await portal.execute(caller)

    @get("/invoices/me", operation_id="payments_invoices_mine", summary="My invoices and purchases")
    @inject
    async def invoices(
        self, caller: FromDishka[Principal], payments: FromDishka[MyPayments]
    ) -> list[PaymentView]:
        return await payments.execute(caller)
