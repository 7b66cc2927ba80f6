"""The Stripe stand-in's checkout page (embedded profile only): paying there makes the
stand-in post Stripe's signed webhooks to this platform, as Stripe would."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from cmh.kernel.web.openapi_problems import problem_responses
from cmh.payments.adapters.standin.stripe import StandInStripe
from cmh.payments.api.schemas import StandInPayment


class StandInCheckoutController(Controller):
    path = "/api/v1/payments/stand-in/checkout"
    tags = ["payments stand-in"]

    @get(
        "/{session_id:str}/pay",
        operation_id="payments_stand_in_checkout",
        summary="The stand-in's checkout session (what Stripe's hosted page would show)",
    )
    @inject
    async def show(
        self, session_id: FromPath[str], stripe: FromDishka[StandInStripe]
    ) -> dict[str, object]:
        found = stripe.sessions.get(session_id)
        if found is None:
            return {"id": session_id, "status": "unknown"}
        return {
            k: found[k] for k in ("id", "status", "mode", "amount_total", "currency", "metadata")
        }

    @post(
        "/{session_id:str}/pay",
        operation_id="payments_stand_in_pay",
        status_code=200,
        responses=problem_responses(404),
        summary="Pay (or decline) the checkout: Stripe's webhooks are posted, signed",
    )
    @inject
    async def pay(
        self,
        session_id: FromPath[str],
        data: JSONBody[StandInPayment],
        stripe: FromDishka[StandInStripe],
    ) -> dict[str, list[str]]:
        return {"delivered": await stripe.pay(session_id, declined=data.declined)}
