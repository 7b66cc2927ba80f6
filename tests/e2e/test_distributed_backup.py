"""Backups of the distributed profile (`make backup` / `make restore`): every PostgreSQL
database (the outbox included), the MongoDB-wire databases and the media, restored into
new, empty databases, hold the demo data the seed job wrote."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pymongo
import pytest

from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS, SAMPLES
from cmh.courses.demo_catalog import DEMO_COURSES
from cmh.labs.demo_seed import DEMO_TEMPLATES
from cmh.users.demo_seed import DEMO_ACCOUNTS
from infra.backup.backup import POSTGRES_DATABASES, Stores, backup, restore, run

pytestmark = [pytest.mark.integration, pytest.mark.distributed]

# The databases whose services publish events while the demo data is seeded (accounts
# registered, courses published). Labs', assessments' and payments' seeds write without
# events: their outboxes hold rows only once the journeys have run, which a fresh
# profile's first test run has not done yet.
PUBLISHERS = ("cmh_users", "cmh_courses")


@pytest.fixture
def suffix() -> Iterator[str]:
    """A suffix for the restored databases; they are dropped afterwards."""
    name = f"_restore_{uuid.uuid4().hex[:8]}"
    yield name
    stores = Stores.from_environment()
    for database in POSTGRES_DATABASES:
        run(["psql", stores.pg("cmh"), "-qc", f'DROP DATABASE IF EXISTS "{database}{name}"'])
    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(stores.mongo_url)
    for database in client.list_database_names():
        if database.endswith(name):
            client.drop_database(database)
    client.close()


def column(stores: Stores, database: str, query: str) -> list[str]:
    """The first column of ``query``'s rows, as psql prints them."""
    return run(["psql", stores.pg(database), "-tAc", query]).splitlines()


def test_a_backup_restored_into_empty_databases_holds_the_demo_data(
    tmp_path: Path, suffix: str
) -> None:
    stores = Stores.from_environment({**os.environ, "CMH_DATA_DIR": str(tmp_path / "none")})
    manifest = backup(stores, tmp_path / "backup", only="distributed")
    assert set(manifest["postgres"]) == set(POSTGRES_DATABASES)
    assert {"cmh_content", "cmh_courses", "cmh_forum"} <= set(manifest["mongo"])
    outbox_now = {
        database: int(column(stores, database, "SELECT count(*) FROM outbox")[0])
        for database in POSTGRES_DATABASES
    }

    restore(stores, tmp_path / "backup", suffix=suffix, files_to=tmp_path / "files")

    emails = column(stores, f"cmh_users{suffix}", "SELECT email FROM users_accounts")
    assert {account.email for account in DEMO_ACCOUNTS} <= set(emails)
    published = "SELECT title FROM courses_courses WHERE status = 'published'"
    assert {demo.course.title for demo in DEMO_COURSES} <= set(
        column(stores, f"cmh_courses{suffix}", published)
    )
    templates = column(stores, f"cmh_labs{suffix}", "SELECT id FROM labs_templates")
    assert set(DEMO_TEMPLATES) <= set(templates)
    quizzes = column(stores, f"cmh_assessments{suffix}", "SELECT count(*) FROM assessments_quizzes")
    assert int(quizzes[0]) > 0, "the demo quiz and exam came back"
    paid = "SELECT count(*) FROM payments_payments"
    assert int(column(stores, f"cmh_payments{suffix}", paid)[0]) > 0, "the demo payment came back"
    for database in POSTGRES_DATABASES:  # the outbox came along (the events of its time)
        restored = int(column(stores, database + suffix, "SELECT count(*) FROM outbox")[0])
        assert restored <= outbox_now[database]
        if database in PUBLISHERS:
            assert restored > 0
    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(stores.mongo_url)
    assets = {doc["_id"] for doc in client[f"cmh_content{suffix}"]["assets"].find({}, {"_id": 1})}
    client.close()
    assert {*(s.asset_id for s in SAMPLES), *DEMO_VIDEO_ASSET_IDS} <= assets
    client = pymongo.MongoClient(stores.mongo_url)
    welcome_threads = client[f"cmh_forum{suffix}"]["threads"].count_documents({})
    client.close()
    assert welcome_threads > 0, "the forum's demo threads came back"
    assert any((tmp_path / "files" / "media").rglob("*")), "the media files came back"
