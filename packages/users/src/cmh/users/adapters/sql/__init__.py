"""SQLAlchemy Core adapters of the Users ports and the context's Alembic migrations.

Tables are prefixed ``users_`` because the embedded profile keeps every context in one
SQLite file; migrate with
``cmh.kernel.sql.migrate.upgrade(engine, [KERNEL_MIGRATIONS, USERS_MIGRATIONS])``.
"""

from pathlib import Path

from cmh.kernel.sql.migrate import MigrationSet

USERS_MIGRATIONS = MigrationSet("users", Path(__file__).parent / "migrations")

__all__ = ["USERS_MIGRATIONS"]
