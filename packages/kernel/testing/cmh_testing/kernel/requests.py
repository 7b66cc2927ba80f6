"""Calling request-scoped objects (use cases) of a composed container from a test, as the
HTTP layer and the consumer runner do: a fresh request scope per call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from dishka import AsyncContainer


class InRequest:
    """What the container provides for ``kind`` in request scope, resolved afresh in a
    scope of its own for each call of one of its coroutine methods (``execute`` ...)."""

    def __init__(self, container: AsyncContainer, kind: Any) -> None:
        self._container = container
        self._kind = kind

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        async def call(*args: Any, **kwargs: Any) -> Any:
            async with self._container() as request:
                target = await request.get(self._kind)
                return await getattr(target, name)(*args, **kwargs)

        return call
