"""Messaging tables every context database carries: the outbox and the inbox."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

messaging_metadata = MetaData()

# BigInteger on PostgreSQL, INTEGER (rowid alias, so autoincrement works) on SQLite.
_seq = BigInteger().with_variant(Integer(), "sqlite")

outbox = Table(
    "outbox",
    messaging_metadata,
    Column("seq", _seq, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("topic", String(200), nullable=False),
    Column("key", String(200), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Index("ix_outbox_pending", "published_at", "seq"),
)

inbox = Table(
    "inbox",
    messaging_metadata,
    Column("consumer", String(200), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("processed_at", DateTime(timezone=True), nullable=False),
)
