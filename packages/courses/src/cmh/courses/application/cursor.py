"""Opaque page cursors: clients pass back what they were given and never build one."""

from __future__ import annotations

import base64
import binascii

import msgspec

from cmh.kernel.errors import InvalidInput


class _Position(msgspec.Struct, frozen=True):
    o: int


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(_Position(offset))).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = msgspec.json.decode(raw, type=_Position).o
    except (binascii.Error, ValueError, msgspec.DecodeError) as exc:
        raise InvalidInput(
            "cursor is not one this API gave out", code="invalid_cursor", field="cursor"
        ) from exc
    if offset < 0:
        raise InvalidInput(
            "cursor is not one this API gave out", code="invalid_cursor", field="cursor"
        )
    return offset
