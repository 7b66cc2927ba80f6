"""The Notifications context's Alembic versions, run with the kernel's migration runner."""

from __future__ import annotations

from pathlib import Path

from cmh.kernel.sql.migrate import MigrationSet

NOTIFICATIONS_MIGRATIONS = MigrationSet("notifications", Path(__file__).parent / "versions")
