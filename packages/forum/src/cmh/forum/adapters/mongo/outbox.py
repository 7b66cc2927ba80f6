"""Publishes the events embedded in thread documents (see ``unit_of_work.py``) with the
kernel's relay of document outboxes."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from cmh.forum.adapters.mongo.documents import THREADS
from cmh.forum.adapters.mongo.unit_of_work import ForumOutboxWakeup
from cmh.kernel.messaging.document_outbox import DocumentOutboxRelay
from cmh.kernel.messaging.ports import EventPublisher


class MongoOutboxRelay(DocumentOutboxRelay):
    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        publisher: EventPublisher,
        wakeup: ForumOutboxWakeup,
        *,
        batch_size: int = 100,
        poll_interval: float = 0.5,
    ) -> None:
        super().__init__(
            db[THREADS], publisher, wakeup, batch_size=batch_size, poll_interval=poll_interval
        )
