"""Account mail for users (verify the email, reset the password), sent now: users asks
over its internal port (in process when embedded) because the mail carries a secret link,
which must not travel on the broker. The link reaches the mail provider and nothing else:
the delivery log keeps the kind and the recipient, never the link. A provider that cannot
take it now is a 503 (users' caller may ask again); a refusal is logged as failed."""

from __future__ import annotations

from cmh.contracts.http.notifications import TransactionalMailRequest
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import DependencyUnavailable, Forbidden
from cmh.kernel.uow import UnitOfWork
from cmh.notifications.application.ports import (
    DeliveryRepository,
    Mailer,
    MailRejected,
    MailRenderer,
    MailUnavailable,
    Recipient,
)
from cmh.notifications.application.views import TransactionalMailSent
from cmh.notifications.domain.channels import Channel
from cmh.notifications.domain.dedupe import DeliveryKey
from cmh.notifications.domain.delivery import Delivery, DeliveryStatus

SERVICE_ROLE = "service"


class SendTransactionalMail:
    def __init__(
        self,
        deliveries: DeliveryRepository,
        mailer: Mailer,
        renderer: MailRenderer,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._deliveries = deliveries
        self._mailer = mailer
        self._renderer = renderer
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(
        self, caller: Principal, request: TransactionalMailRequest
    ) -> TransactionalMailSent:
        if SERVICE_ROLE not in caller.roles:
            raise Forbidden("platform services only", code="service_only")
        message = self._renderer.render_account(
            request.kind,
            Recipient(user_id=request.user_id, email=request.to, display_name=request.display_name),
            request.locale,
            request.action_url,
            request.expires_in_seconds,
        )
        delivery_id = self._ids.new_id()
        # Each request is its own mail (a resend is a new one): the key names the request.
        key = DeliveryKey(f"{request.kind}:{delivery_id}", Channel.EMAIL, request.user_id)
        delivery = Delivery.start(delivery_id, "", key, DeliveryStatus.QUEUED, self._clock.now())
        try:
            message_id = await self._mailer.send(message)
        except MailUnavailable as exc:
            raise DependencyUnavailable("the mail provider is unavailable; try again") from exc
        except MailRejected as exc:
            delivery.fail(self._clock.now(), f"refused by the provider: {exc}"[:500])
        else:
            delivery.sent(self._clock.now(), message_id)
        async with self._uow:
            await self._deliveries.claim(delivery)
            await self._uow.commit()
        return TransactionalMailSent(delivery_id=delivery.id, status=str(delivery.status))
