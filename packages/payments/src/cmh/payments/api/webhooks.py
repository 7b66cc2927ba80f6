"""``POST /api/v1/payments/webhooks/stripe``: Stripe only. The raw body is verified
before anything is decoded or stored; the event is stored once and answered at once (the
work happens after, see ``cmh.payments.background``)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, post
from litestar.enums import ParamType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIType, Parameter, Schema

from cmh.kernel.web.openapi_problems import PROBLEM_JSON
from cmh.kernel.web.problem_schema import Problem
from cmh.kernel.web.problems import problem
from cmh.payments.application.receive_stripe_webhook import InvalidWebhook, ReceiveStripeWebhook
from cmh.payments.application.views import WebhookReceipt
from cmh.payments.background import PaymentsWork

SIGNATURE = "Stripe-Signature"


class StripeWebhookController(Controller):
    path = "/api/v1/payments/webhooks/stripe"
    tags = ["payments"]

    @post(
        "",
        operation_id="payments_stripe_webhook",
        status_code=200,
        summary="Stripe's webhooks (signed; bad, old or missing signature: 400, nothing stored)",
        description="Each event id is stored once: a replay answers `duplicate: true` and "
        "changes nothing.",
        responses={
            400: ResponseSpec(
                data_container=Problem,
                media_type=PROBLEM_JSON,
                description="`invalid_signature`: missing, wrong or older than 300 s",
            )
        },
        parameters=[
            Parameter(
                name=SIGNATURE,
                param_in=ParamType.HEADER,
                required=True,
                schema=Schema(type=OpenAPIType.STRING),
                description="t=<unix time>,v1=<HMAC-SHA256>",
            )
        ],
    )
    @inject
    async def receive(
        self,
        request: Request[Any, Any, Any],
        receive: FromDishka[ReceiveStripeWebhook],
        work: FromDishka[PaymentsWork],
    ) -> Response[Any]:
        try:
            receipt: WebhookReceipt = await receive.execute(
                await request.body(), request.headers.get(SIGNATURE)
            )
        except InvalidWebhook as exc:
            return problem(
                request,
                status=400,
                title="Invalid webhook signature",
                detail=exc.detail,
                code=exc.code,
                errors=[{"field": SIGNATURE, "message": exc.detail}],
            )
        work.nudge()
        return Response(content=receipt, status_code=200)
