"""The Redshift batch export (``CMH_ANALYTICS__REDSHIFT__*``): facts written to S3 as
gzipped JSON lines, then loaded with ``COPY``. ``url`` empty: files only (no Redshift
runs in this repository's environments)."""

from __future__ import annotations

import msgspec


class RedshiftSettings(msgspec.Struct, frozen=True):
    bucket: str = "cmh-analytics-export"
    prefix: str = "facts"
    region: str = "us-east-1"
    iam_role_arn: str = ""
    s3_endpoint_url: str | None = None
    url: str = ""  # redshift+psycopg2://user@cluster:5439/db
    table: str = "analytics_facts"
    schema: str | None = None
