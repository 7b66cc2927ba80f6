"""Where the courses service answers (distributed), ``CMH_ANALYTICS__COURSES__*``."""

from __future__ import annotations

import msgspec


class CoursesClientSettings(msgspec.Struct, frozen=True):
    url: str = "http://127.0.0.1:8102"
    timeout_seconds: float = 2.0
    attempts: int = 3
