"""Opaque cursors for keyset pagination: the sort key of the last item seen."""

from __future__ import annotations

import base64
import binascii

import msgspec

from cmh.forum.domain.errors import InvalidPost

PAGE_LIMIT = (1, 100)


def encode_cursor(key: list[str | int | float]) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[str | int | float] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return msgspec.json.decode(raw, type=list[str | int | float])
    except (binascii.Error, msgspec.DecodeError, ValueError) as exc:
        raise InvalidPost("not a cursor this forum gave out", field="cursor") from exc


def checked_limit(limit: int) -> int:
    low, high = PAGE_LIMIT
    if not low <= limit <= high:
        raise InvalidPost(f"limit is {low} to {high}", field="limit")
    return limit
