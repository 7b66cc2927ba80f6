"""Thin event handlers: decode the envelope, call one use case."""

from __future__ import annotations

import msgspec

from cmh.contracts.events.base import Envelope
from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.courses.application.handle_user_erasure import HandleUserErasure
from cmh.courses.application.sync_search_index import SyncSearchIndex

USER_ERASURE = "courses.user-erasure"
SEARCH_INDEXER = "courses.search-indexer"


class UserErasureHandler:
    def __init__(self, erase: HandleUserErasure) -> None:
        self._erase = erase

    async def __call__(self, envelope: Envelope) -> None:
        event: UserErasureRequestedV1 = envelope.decode(UserErasureRequestedV1)
        await self._erase.execute(event.user_id, consumer=USER_ERASURE, event_id=envelope.id)


class _AboutACourse(msgspec.Struct):
    course_id: str


class SearchIndexHandler:
    """Every course event it takes names its course; the use case reads the rest."""

    def __init__(self, sync: SyncSearchIndex) -> None:
        self._sync = sync

    async def __call__(self, envelope: Envelope) -> None:
        course_id = msgspec.json.decode(envelope.data, type=_AboutACourse).course_id
        await self._sync.execute(course_id, consumer=SEARCH_INDEXER, event_id=envelope.id)
