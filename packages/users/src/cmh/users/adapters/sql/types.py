"""Column types of the Users tables (the shared ones live in ``cmh.kernel.sql.types``)."""

from __future__ import annotations

from sqlalchemy import String

from cmh.kernel.sql.types import UtcDateTime, rows_changed

__all__ = ["UtcDateTime", "identifier", "rows_changed"]


def identifier() -> String:
    # Byte order on PostgreSQL too, so cursor pagination sorts ids as the in-memory
    # adapter and SQLite do, whatever the database's locale.
    return String(64).with_variant(String(64, collation="C"), "postgresql")
