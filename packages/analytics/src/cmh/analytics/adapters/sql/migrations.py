"""The Analytics context's Alembic versions, run with the kernel's migration runner."""

from __future__ import annotations

from pathlib import Path

from cmh.kernel.sql.migrate import MigrationSet

ANALYTICS_MIGRATIONS = MigrationSet("analytics", Path(__file__).parent / "versions")
