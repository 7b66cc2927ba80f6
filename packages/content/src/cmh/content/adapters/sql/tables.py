"""Content's SQL tables, for deployments without MongoDB (the embedded profile)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table

from cmh.kernel.sql.migrate import MigrationSet

content_metadata = MetaData()

assets = Table(
    "content_assets",
    content_metadata,
    Column("id", String(128), primary_key=True),
    Column("owner_id", String(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("document", JSON, nullable=False),
    Index("ix_content_assets_owner", "owner_id"),
)

CONTENT_MIGRATIONS = MigrationSet("content", Path(__file__).parent / "versions")
