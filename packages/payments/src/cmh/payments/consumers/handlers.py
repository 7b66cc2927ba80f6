"""Thin event handlers: decode the envelope, call one use case."""

from __future__ import annotations

from cmh.contracts.events.users import UserErasureRequestedV1
from cmh.payments.application.handle_user_erasure import HandleUserErasure

USER_ERASURE = "payments.user-erasure"


class UserErasureHandler:
    def __init__(self, erase: HandleUserErasure) -> None:
        self._erase = erase

    async def __call__(self, event: UserErasureRequestedV1) -> None:
        await self._erase.execute(event.user_id)
