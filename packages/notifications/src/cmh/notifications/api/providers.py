"""Mail providers' event webhooks (no sign-in: the provider signs each delivery)."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, post

from cmh.kernel.errors import NotFound
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.notifications.adapters.mail.sendgrid_events import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    ProviderWebhooks,
)
from cmh.notifications.application.record_provider_events import RecordProviderEvents
from cmh.notifications.application.views import ProviderEventsRecorded


class ProviderEventsController(Controller):
    path = "/api/v1/notifications/providers"
    tags = ["notifications"]

    @post(
        "/sendgrid/events",
        operation_id="notifications_sendgrid_events",
        status_code=200,
        responses=problem_responses(400, 403, 404, 422),
        summary="SendGrid's Event Webhook: delivered, bounced and dropped mail",
        description="Signed by SendGrid (ECDSA over the timestamp and the body): 403 "
        "`bad_signature` otherwise; 404 where no verification key is configured.",
    )
    @inject
    async def sendgrid(
        self,
        request: Request,  # type: ignore[type-arg]
        webhooks: FromDishka[ProviderWebhooks],
        record: FromDishka[RecordProviderEvents],
    ) -> ProviderEventsRecorded:
        if webhooks.sendgrid is None:
            raise NotFound("no SendGrid webhook is configured", code="webhook_not_configured")
        events = webhooks.sendgrid.read(
            await request.body(),
            request.headers.get(SIGNATURE_HEADER, ""),
            request.headers.get(TIMESTAMP_HEADER, ""),
        )
        return await record.execute(events)
