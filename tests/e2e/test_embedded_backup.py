"""Backups of the embedded profile (`make backup`): the SQLite file, copied with SQLite's
online backup while the platform runs, and the media folder, restored elsewhere, hold
the demo data of `make run`."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from cmh.courses.demo_catalog import DEMO_COURSES
from cmh.users.demo_seed import DEMO_ACCOUNTS
from infra.backup.backup import Stores, backup, restore


async def test_the_embedded_database_and_media_restore_with_the_demo_data(
    platform: AsyncTestClient[Any], tmp_path: Path
) -> None:
    # The platform fixture serves from tmp_path, seeded as `make run` seeds it.
    assert (await platform.get("/health/ready")).status_code == 200
    stores = Stores.from_environment({"CMH_DATA_DIR": str(tmp_path)})

    manifest = backup(stores, tmp_path / "backup", only="embedded")
    restore(stores, tmp_path / "backup", files_to=tmp_path / "restored")

    assert manifest["postgres"] == {}
    assert manifest["mongo"] == {}
    restored = sqlite3.connect(tmp_path / "restored" / "platform.db")
    try:
        emails = {row[0] for row in restored.execute("SELECT email FROM users_accounts")}
        titles = {
            row[0]
            for row in restored.execute(
                "SELECT title FROM courses_courses WHERE status = 'published'"
            )
        }
        pending = restored.execute("SELECT count(*) FROM outbox").fetchone()
    finally:
        restored.close()
    assert {account.email for account in DEMO_ACCOUNTS} <= emails
    assert {demo.course.title for demo in DEMO_COURSES} <= titles
    assert pending is not None
    assert pending[0] > 0  # the outbox came along
    assert any((tmp_path / "restored" / "embedded-media").rglob("*.mp4"))
