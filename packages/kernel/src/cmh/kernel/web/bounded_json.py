"""JSON request bodies with a nesting limit.

msgspec (and the standard ``json``) recurse once per nesting level and raise
RecursionError near Python's limit, so ``[[[[...]]]]`` about 1,000 levels deep was a 500
on every JSON route. Nothing we accept nests deeper than a few levels (and MongoDB
refuses documents past 100), so a body deeper than ``MAX_JSON_DEPTH`` is a 400
``malformed_body`` before any decoder sees it.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from litestar import Request
from litestar.exceptions import ClientException
from litestar.types import Empty

from cmh.kernel.web.storable_text import ensure_storable_text

MAX_JSON_DEPTH = 64

# A JSON string, or an unterminated one up to the end: consumed whole, so the scan stays
# linear whatever quotes and backslashes follow.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
# Opening brackets become +1, closing ones -1 (0xff as a signed byte).
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def nests_deeper_than(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when some value in ``body`` sits more than ``limit`` arrays/objects deep.

    Linear in the body; a body with no more opening brackets than ``limit`` (most of
    them) is answered by counting alone.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    steps = _STRING.sub(b"", body).translate(_STEPS, _NOT_BRACKETS)
    return max(itertools.accumulate(memoryview(steps).cast("b")), default=0) > limit


def too_deep() -> ClientException:
    return ClientException(f"malformed JSON body: it nests deeper than {MAX_JSON_DEPTH} levels")


def ensure_shallow_json(body: bytes) -> None:
    """Raises a 400 (``malformed_body``) for a body nested deeper than ``MAX_JSON_DEPTH``."""
    if nests_deeper_than(body):
        raise too_deep()


class BoundedJsonRequest(Request[Any, Any, Any]):
    """Litestar's request, whose ``json()`` (what every ``data`` parameter is decoded
    with) refuses bodies nested deeper than ``MAX_JSON_DEPTH`` and text no store can keep
    (``cmh.kernel.web.storable_text``)."""

    async def json(self) -> Any:
        if self._connection_state.json is not Empty:
            return await super().json()
        body = await self.body()
        ensure_shallow_json(body)
        try:
            decoded = await super().json()
        except RecursionError as exc:  # a decoder's own limit, should ours ever be raised
            raise too_deep() from exc
        ensure_storable_text(body, decoded)
        return decoded
