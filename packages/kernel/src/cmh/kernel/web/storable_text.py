"""JSON request bodies whose text every store can keep.

PostgreSQL's text cannot hold U+0000 (it answers "invalid byte sequence for encoding
UTF8: 0x00"), and MongoDB refuses it in a key, so a ``"\\u0000"`` anywhere in a body was a
500 as soon as it reached a query. No text we accept needs it: a body carrying one is a
422 naming the field, before any use case sees it.
"""

from __future__ import annotations

from typing import Any

from litestar.exceptions import ValidationException

NUL_MESSAGE = "text may not contain the NUL character (U+0000)"
# What the OpenAPI document says of every plain string a request carries
# (``cmh.kernel.web.openapi_text``); a field's own pattern excludes U+0000 the same way.
NUL_FREE_PATTERN = r"^[^\x00]*$"
# The JSON escape of U+0000; a raw NUL byte is not valid JSON at all.
_ESCAPED_NUL = b"\\u0000"


def nul_path(value: Any, path: str = "$") -> str | None:
    """Where in a decoded JSON ``value`` the first text holding U+0000 sits
    (``$.profile.name``, ``$.tags[2]``), or ``None``."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return f"{path}.{key.replace(chr(0), '')}"
            if found := nul_path(item, f"{path}.{key}"):
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := nul_path(item, f"{path}[{index}]"):
                return found
    return None


def ensure_storable_text(body: bytes, decoded: Any) -> None:
    """Raises a 422 (``validation_failed``) naming the field whose text holds U+0000."""
    if _ESCAPED_NUL not in body:  # the common case: no walk at all
        return
    if (path := nul_path(decoded)) is None:
        return  # an escaped backslash followed by "u0000": plain text
    field = path.removeprefix("$.") if path != "$" else "body"
    raise ValidationException(
        detail=f"invalid `{field}`: {NUL_MESSAGE}",
        extra=[{"key": field, "message": NUL_MESSAGE, "source": "body"}],
    )
