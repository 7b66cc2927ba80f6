"""The Payments context's Alembic versions, run with the kernel's migration runner."""

from __future__ import annotations

from pathlib import Path

from cmh.kernel.sql.migrate import MigrationSet

PAYMENTS_MIGRATIONS = MigrationSet("payments", Path(__file__).parent / "versions")
