"""Whether a failure is the database refusing a value the caller sent: PostgreSQL's class 22
("data exception": text holding U+0000, a number out of its column's range, a date out of
range), or asyncpg refusing to encode a parameter.

Request bodies are checked before any use case runs (``cmh.kernel.web.storable_text``);
this is what answers a value that still got through (a path or query parameter, a rule
that missed a case): the caller's request, not an outage and not our fault, so a 422 and
never a 500.
"""

from __future__ import annotations

import asyncpg

from cmh.kernel.outages import causes


def is_refused_value(exc: BaseException) -> bool:
    """True when ``exc``, or what it wraps, is the database refusing a value it was sent."""
    return any(isinstance(cause, asyncpg.exceptions.DataError) for cause in causes(exc))
