"""Backups of every store the platform keeps, and their restore.

    python infra/backup/backup.py backup  [--to DIR] [--only distributed|embedded]
                                                              (make backup [TO=DIR])
    python infra/backup/backup.py restore DIR [--suffix S]    (make restore FROM=DIR)

What a backup holds (DIR, default ``.backups/<UTC time>``; ``manifest.json`` lists it):
- ``postgres/<db>.dump``: ``pg_dump --format=custom`` of each service database of the
  distributed profile (``cmh_users``, ``cmh_courses``, ``cmh_labs``,
  ``cmh_assessments``, ``cmh_payments``, ``cmh_notifications``, ``cmh_analytics``), every
  table included: the outbox and inbox too, so events not yet published are published after a
  restore and events already handled are not handled twice.
- ``mongo/<db>/<collection>.jsonl`` (+ ``.indexes.json``): the MongoDB-wire databases
  (``cmh_content``, ``cmh_courses``, ``cmh_forum`` on FerretDB), one document a line in MongoDB's
  canonical Extended JSON (types survive: dates, binaries, ObjectIds), read with pymongo
  (no ``mongodump`` binary needed).
- ``files/<name>.tar.gz``: the distributed profile's local media directory.
- ``sqlite/platform.db`` and ``files/embedded-media.tar.gz``: the embedded profile's
  database (copied with SQLite's online backup, consistent while the platform runs) and
  its media folder, when they exist.

Elasticsearch's indices are not backed up: they are projections, rebuilt from the forum's
and the courses' own stores (their reindex commands). Redis holds only caches, rate-limit
windows and live fan-out, nothing a restore must bring back.

A store that is absent (no such database, no SQLite file) is skipped and said so.
``restore`` writes each store back, replacing what is there (stop the apps first: `make
down`, or stop `make run`); ``--suffix`` restores every
database under its name plus the suffix (a new, empty database: a restore test, or a
look at yesterday's data beside today's) and the files under ``--files-to``.

Where the servers are: ``CMH_DISTRIBUTED_PG`` (``postgresql+asyncpg://cmh:cmh@127.0.0.1:5432``),
``CMH_DISTRIBUTED_MONGO`` (``mongodb://127.0.0.1:27017/``), ``CMH_INFRA_HOME`` (media),
``CMH_DATA_DIR`` (``.data``, the embedded profile's folder), as infra/distributed uses them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pymongo
from bson import json_util

# Every service database of the distributed profile (infra/distributed/up.sh creates them).
POSTGRES_DATABASES = (
    "cmh_users",
    "cmh_courses",
    "cmh_labs",
    "cmh_assessments",
    "cmh_payments",
    "cmh_notifications",
    "cmh_analytics",
)
MONGO_DATABASES = ("cmh_content", "cmh_courses", "cmh_forum")
# Maintenance database the profile's role may connect to (infra/local creates it).
PG_MAINTENANCE_DB = "cmh"
EXTENDED_JSON = json_util.JSONOptions(json_mode=json_util.JSONMode.CANONICAL, tz_aware=True)
BATCH = 1000


@dataclass(frozen=True)
class Stores:
    pg_url: str  # libpq URL of the server, no database
    mongo_url: str
    media_dir: Path  # the distributed profile's local object storage
    data_dir: Path  # the embedded profile's folder

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Stores:
        env = dict(os.environ if environ is None else environ)
        pg = env.get("CMH_DISTRIBUTED_PG", "postgresql+asyncpg://cmh:cmh@127.0.0.1:5432")
        home = Path(env.get("CMH_INFRA_HOME") or Path.home() / ".cache/cmh/infra")
        return cls(
            pg_url=pg.replace("postgresql+asyncpg:", "postgresql:").rstrip("/"),
            mongo_url=env.get("CMH_DISTRIBUTED_MONGO", "mongodb://127.0.0.1:27017/"),
            media_dir=home / "distributed" / "media",
            data_dir=Path(env.get("CMH_DATA_DIR", ".data")),
        )

    def pg(self, database: str) -> str:
        return f"{self.pg_url}/{database}"


def say(line: str) -> None:
    print(f"==> {line}", flush=True)


def step(line: str) -> None:
    print(f"    {line}", flush=True)


def run(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"!!  {argv[0]} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return done.stdout


def pg_databases(stores: Stores) -> set[str]:
    listed = run(["psql", stores.pg(PG_MAINTENANCE_DB), "-tAc", "SELECT datname FROM pg_database"])
    return {line.strip() for line in listed.splitlines() if line.strip()}


# ------------------------------------------------------------------ backup
def backup(stores: Stores, target: Path, *, only: str = "") -> dict[str, Any]:
    """Every store (``only``: ``distributed`` or ``embedded`` alone) into ``target``."""
    started = time.monotonic()
    target.mkdir(parents=True, exist_ok=False)
    manifest: dict[str, Any] = {
        "created_at": datetime.now(UTC).isoformat(),
        "postgres": {},
        "mongo": {},
        "files": {},
        "sqlite": None,
    }
    if only != "embedded":
        backup_distributed(stores, target, manifest)
    if only != "distributed":
        backup_embedded(stores, target, manifest)
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    say(f"backup in {target} ({time.monotonic() - started:.1f}s)")
    return manifest


def backup_distributed(stores: Stores, target: Path, manifest: dict[str, Any]) -> None:
    existing = pg_databases(stores)
    for index, database in enumerate(POSTGRES_DATABASES, start=1):
        if database not in existing:
            step(f"postgres {index}/{len(POSTGRES_DATABASES)}: {database} does not exist: skipped")
            continue
        dump = target / "postgres" / f"{database}.dump"
        dump.parent.mkdir(exist_ok=True)
        run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", stores.pg(database)])
        manifest["postgres"][database] = dump.stat().st_size
        size = dump.stat().st_size
        step(f"postgres {index}/{len(POSTGRES_DATABASES)}: {database} ({size} bytes)")
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        stores.mongo_url, serverSelectionTimeoutMS=5000
    )
    try:
        present = set(client.list_database_names())
        for index, database in enumerate(MONGO_DATABASES, start=1):
            if database not in present:
                step(f"mongo {index}/{len(MONGO_DATABASES)}: {database} does not exist: skipped")
                continue
            counts = export_mongo(client[database], target / "mongo" / database)
            manifest["mongo"][database] = counts
            documents = sum(counts.values())
            step(f"mongo {index}/{len(MONGO_DATABASES)}: {database} ({documents} documents)")
    finally:
        client.close()
    archive_folder(stores.media_dir, "media", target, manifest)


def backup_embedded(stores: Stores, target: Path, manifest: dict[str, Any]) -> None:
    archive_folder(stores.data_dir / "media", "embedded-media", target, manifest)
    sqlite_file = stores.data_dir / "platform.db"
    if sqlite_file.is_file():
        copy = target / "sqlite" / "platform.db"
        copy.parent.mkdir(exist_ok=True)
        sqlite_copy(sqlite_file, copy)
        manifest["sqlite"] = str(sqlite_file)
        step(f"sqlite: {sqlite_file} ({copy.stat().st_size} bytes)")
    else:
        step(f"sqlite: no {sqlite_file}: skipped")


def archive_folder(folder: Path, name: str, target: Path, manifest: dict[str, Any]) -> None:
    if not folder.is_dir():
        step(f"files: no {folder}: skipped")
        return
    archive = target / "files" / f"{name}.tar.gz"
    archive.parent.mkdir(exist_ok=True)
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder, arcname=".")
    manifest["files"][name] = str(folder)
    step(f"files: {folder} -> {archive.name}")


def export_mongo(database: Any, folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name in sorted(database.list_collection_names()):
        collection = database[name]
        written = 0
        with (folder / f"{name}.jsonl").open("w") as out:
            for document in collection.find({}, sort=[("_id", 1)]):
                out.write(json_util.dumps(document, json_options=EXTENDED_JSON) + "\n")
                written += 1
        indexes = [
            {"keys": list(info["key"]), "unique": bool(info.get("unique", False)), "name": index}
            for index, info in collection.index_information().items()
            if index != "_id_"
        ]
        (folder / f"{name}.indexes.json").write_text(json.dumps(indexes))
        counts[name] = written
    return counts


def sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the platform writes."""
    target.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


# ------------------------------------------------------------------ restore
def restore(
    stores: Stores, source: Path, *, suffix: str = "", files_to: Path | None = None
) -> None:
    started = time.monotonic()
    manifest = json.loads((source / "manifest.json").read_text())
    existing = pg_databases(stores) if manifest["postgres"] else set()
    for index, database in enumerate(sorted(manifest["postgres"]), start=1):
        name = database + suffix
        if name not in existing:
            run(["psql", stores.pg(PG_MAINTENANCE_DB), "-qc", f'CREATE DATABASE "{name}"'])
        run(
            [
                "pg_restore",
                "--no-owner",
                "--clean",
                "--if-exists",
                "--exit-on-error",
                f"--dbname={stores.pg(name)}",
                str(source / "postgres" / f"{database}.dump"),
            ]
        )
        step(f"postgres {index}/{len(manifest['postgres'])}: {name} restored")
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        stores.mongo_url, serverSelectionTimeoutMS=5000, connect=False
    )
    try:
        for index, database in enumerate(sorted(manifest["mongo"]), start=1):
            count = import_mongo(client[database + suffix], source / "mongo" / database)
            step(f"mongo {index}/{len(manifest['mongo'])}: {database + suffix} ({count} documents)")
    finally:
        client.close()
    for name, folder in manifest["files"].items():
        destination = (files_to / name) if files_to else Path(folder)
        if destination.exists():
            shutil.rmtree(destination)
        destination.mkdir(parents=True)
        with tarfile.open(source / "files" / f"{name}.tar.gz") as tar:
            tar.extractall(destination, filter="data")
        step(f"files: {name} -> {destination}")
    if manifest["sqlite"]:
        destination = (files_to / "platform.db") if files_to else Path(manifest["sqlite"])
        destination.parent.mkdir(parents=True, exist_ok=True)
        sqlite_copy(source / "sqlite" / "platform.db", destination)
        step(f"sqlite: {destination}")
    say(f"restored {source} ({time.monotonic() - started:.1f}s)")


def import_mongo(database: Any, folder: Path) -> int:
    total = 0
    for dump in sorted(folder.glob("*.jsonl")):
        collection = database[dump.stem]
        collection.drop()
        batch: list[dict[str, Any]] = []
        with dump.open() as lines:
            for line in lines:
                batch.append(json_util.loads(line, json_options=EXTENDED_JSON))
                if len(batch) == BATCH:
                    collection.insert_many(batch, ordered=True)
                    total, batch = total + len(batch), []
        if batch:
            collection.insert_many(batch, ordered=True)
            total += len(batch)
        for index in json.loads((folder / f"{dump.stem}.indexes.json").read_text()):
            keys = [(field, direction) for field, direction in index["keys"]]
            collection.create_index(keys, unique=index["unique"], name=index["name"])
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="back up every store")
    make.add_argument("--to", type=Path, help="a new folder (default .backups/<UTC time>)")
    make.add_argument("--only", choices=("distributed", "embedded"), default="")
    back = commands.add_parser("restore", help="restore a backup")
    back.add_argument("source", type=Path)
    back.add_argument("--suffix", default="", help="restore each database as <name><suffix>")
    back.add_argument("--files-to", type=Path, help="restore files and SQLite under this folder")
    args = parser.parse_args(argv)
    stores = Stores.from_environment()
    if args.command == "backup":
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup(stores, args.to or Path(".backups") / stamp, only=args.only)
    else:
        restore(stores, args.source, suffix=args.suffix, files_to=args.files_to)
    return 0


if __name__ == "__main__":
    sys.exit(main())
