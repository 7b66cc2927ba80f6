"""Run Alembic migrations programmatically, one version folder per context."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

_ALEMBIC_DIR = Path(__file__).parent / "alembic"


@dataclass(frozen=True, slots=True)
class MigrationSet:
    name: str
    versions: Path


KERNEL_MIGRATIONS = MigrationSet("kernel", _ALEMBIC_DIR / "versions")


def _upgrade(connection: Connection, migration: MigrationSet) -> None:
    config = Config()
    config.set_main_option("script_location", str(_ALEMBIC_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(migration.versions))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = f"alembic_version_{migration.name}"
    command.upgrade(config, "heads")


async def upgrade(
    engine: AsyncEngine,
    migrations: Sequence[MigrationSet],
    progress: Callable[[str], None] = lambda _line: None,
) -> None:
    for index, migration in enumerate(migrations, start=1):
        progress(f"migrating {migration.name} ({index}/{len(migrations)})")
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade, migration)
