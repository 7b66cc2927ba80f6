"""Facts exported to Amazon Redshift the way Redshift loads in bulk: one gzipped JSON
lines file per batch on S3, then a ``COPY ... FORMAT AS JSON 'auto' GZIP`` (compiled by
SQLAlchemy's Redshift dialect, ``sqlalchemy-redshift``) run on the cluster. Redshift
speaks the PostgreSQL protocol, so the warehouse's SQL (``adapters.sql.warehouse``) is
the same there; the tables are ``adapters.sql.tables``."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy_redshift.commands import Compression, CopyCommand, Format
from sqlalchemy_redshift.dialect import RedshiftDialect_psycopg2

from cmh.analytics.adapters.redshift.settings import RedshiftSettings
from cmh.analytics.adapters.sql.tables import analytics_metadata
from cmh.analytics.adapters.sql.warehouse import fact_row
from cmh.analytics.domain.facts import Fact


@dataclass(frozen=True, slots=True)
class ExportBatch:
    key: str
    rows: int
    copy_sql: str


def copy_statement(settings: RedshiftSettings, key: str) -> str:
    """The COPY that loads one exported file, with its literal values bound in."""
    table = analytics_metadata.tables[settings.table]
    if settings.schema:
        table = table.to_metadata(sa.MetaData(), schema=settings.schema)
    role = settings.iam_role_arn
    command = CopyCommand(
        table,
        data_location=f"s3://{settings.bucket}/{key}",
        iam_role_name=role.rsplit("/", 1)[-1] if role else "cmh-redshift-load",
        aws_account_id=role.split(":")[4] if role.count(":") >= 5 else "000000000000",
        format=Format.json,
        path_file="auto",
        compression=Compression.gzip,
        region=settings.region,
        time_format="auto",
    )
    compiled = command.compile(
        dialect=RedshiftDialect_psycopg2(), compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


def _line(fact: Fact) -> bytes:
    row: dict[str, Any] = fact_row(fact)
    row["attrs"] = msgspec.json.encode(row["attrs"]).decode()  # a SUPER/VARCHAR column
    return msgspec.json.encode(row) + b"\n"


class RedshiftExporter:
    """``s3``: a boto3 S3 client; ``redshift``: a SQLAlchemy engine on the cluster, or
    None to write the files only."""

    def __init__(
        self, settings: RedshiftSettings, s3: Any, redshift: sa.Engine | None = None
    ) -> None:
        self._settings = settings
        self._s3 = s3
        self._redshift = redshift

    def export(self, facts: Sequence[Fact], at: datetime) -> ExportBatch:
        key = f"{self._settings.prefix}/{at:%Y/%m/%d}/facts-{at:%Y%m%dT%H%M%S%f}.jsonl.gz"
        body = gzip.compress(b"".join(_line(f) for f in facts), mtime=0)
        self._s3.put_object(Bucket=self._settings.bucket, Key=key, Body=body)
        sql = copy_statement(self._settings, key)
        if self._redshift is not None:
            with self._redshift.begin() as connection:
                connection.execute(sa.text(sql))
        return ExportBatch(key=key, rows=len(facts), copy_sql=sql)
