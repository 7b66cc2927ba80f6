"""Each worker's AsyncAPI document (served at /asyncapi.json) shows the payload schema of
every event it consumes, taken from the contracts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import msgspec
import pytest
from faststream.asgi import AsgiFastStream

from cmh.apps.content.settings import ContentServiceSettings
from cmh.apps.content.worker import create_worker as content_worker
from cmh.apps.courses.settings import CoursesServiceSettings
from cmh.apps.courses.worker import create_worker as courses_worker
from cmh.apps.labs.settings import LabsServiceSettings
from cmh.apps.labs.worker import create_worker as labs_worker
from cmh.apps.notifications.settings import NotificationsServiceSettings
from cmh.apps.notifications.worker import create_worker as notifications_worker
from cmh.apps.payments.settings import PaymentsServiceSettings
from cmh.apps.payments.worker import create_worker as payments_worker
from cmh.apps.users.settings import UsersServiceSettings
from cmh.apps.users.worker import create_worker as users_worker
from cmh.content.consumers import subscriptions as content_subscriptions
from cmh.contracts.catalog import event_versions
from cmh.contracts.messages import inline_refs
from cmh.courses.consumers import subscriptions as courses_subscriptions
from cmh.kernel.messaging.ports import Subscription
from cmh.labs.consumers import subscriptions as labs_subscriptions
from cmh.notifications.consumers import subscriptions as notifications_subscriptions
from cmh.payments.consumers import subscriptions as payments_subscriptions

WORKERS: dict[str, tuple[Callable[[], Awaitable[AsgiFastStream]], list[Subscription]]] = {
    "courses": (lambda: courses_worker(CoursesServiceSettings()), courses_subscriptions()),
    "content": (lambda: content_worker(ContentServiceSettings()), content_subscriptions()),
    "users": (lambda: users_worker(UsersServiceSettings()), []),
    "labs": (lambda: labs_worker(LabsServiceSettings()), labs_subscriptions()),
    "payments": (lambda: payments_worker(PaymentsServiceSettings()), payments_subscriptions()),
    "notifications": (
        lambda: notifications_worker(NotificationsServiceSettings()),
        notifications_subscriptions(),
    ),
}


async def _served_document(create: Callable[[], Awaitable[AsgiFastStream]]) -> dict[str, Any]:
    app = await create()  # built, not started: no broker or store is reached
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://worker") as client:
        response = await client.get("/asyncapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _event_schema(event: type[msgspec.Struct]) -> Any:
    _, defs = msgspec.json.schema_components([event])
    return inline_refs(defs[event.__name__], defs)


@pytest.mark.parametrize("worker", sorted(WORKERS))
async def test_the_worker_documents_the_payload_of_each_event_it_consumes(worker: str) -> None:
    create, subscriptions = WORKERS[worker]
    schemas = (await _served_document(create)).get("components", {}).get("schemas", {})
    assert len(schemas) == len(subscriptions)
    for subscription in subscriptions:
        payload = schemas[f"{subscription.consumer}:{subscription.topic}:Message:Payload"]
        alternatives = payload.get("oneOf", [payload])
        documented = {a["properties"]["type"]["const"]: a for a in alternatives}
        assert set(documented) == set(subscription.event_types)
        for name, alternative in documented.items():
            [event] = event_versions(name)
            assert alternative["properties"]["data"] == _event_schema(event), name
