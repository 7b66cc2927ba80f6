"""``POST /api/v1/payments/webhooks/stripe``: Stripe only. The raw body is verified
before anything is decoded or stored; the event is stored once and answered at once (the
work happens after, see ``cmh.payments.background``)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, post
from litestar.enums import ParamType
from litestar.openapi.spec import OpenAPIType, Parameter, Schema

from cmh.kernel.web.openapi_problems import problem_responses
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
        # The kernel documents a declared 400 as a problem (here: `invalid_signature`).
        responses=problem_responses(400),
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
