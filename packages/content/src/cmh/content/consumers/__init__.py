"""Content's subscriptions, for the kernel's in-process bus or Kafka registration."""

from __future__ import annotations

from cmh.content.application.anonymise_owner import USER_ERASURE_CONSUMER
from cmh.content.application.process_asset import PROCESSING_CONSUMER
from cmh.content.consumers.handlers import AssetUploadedHandler, UserErasureHandler
from cmh.contracts.events.content import CONTENT_ASSET_TOPIC, AssetUploadedV1
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1
from cmh.kernel.messaging.ports import Subscription


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            topic=CONTENT_ASSET_TOPIC,
            consumer=PROCESSING_CONSUMER,
            handler=AssetUploadedHandler,
            event_types=frozenset({AssetUploadedV1.TYPE}),
            description="Processes an uploaded asset (transcoding) into renditions.",
        ),
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE_CONSUMER,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="GDPR erasure: removes the erased user as owner of their assets.",
        ),
    ]


__all__ = ["AssetUploadedHandler", "UserErasureHandler", "subscriptions"]
