"""The error body every service answers (RFC 9457 problem details with a stable
``code``), as a client reads it to pass a refusal on with the same meaning."""

from __future__ import annotations

import msgspec


class ProblemDetails(msgspec.Struct, frozen=True, kw_only=True):
    title: str = ""
    status: int | None = None
    detail: str = ""
    code: str | None = None
