"""The Forum context's Alembic versions (the embedded profile's SQL store), run with the
kernel's migration runner."""

from __future__ import annotations

from pathlib import Path

from cmh.kernel.sql.migrate import MigrationSet

FORUM_MIGRATIONS = MigrationSet("forum", Path(__file__).parent / "versions")
