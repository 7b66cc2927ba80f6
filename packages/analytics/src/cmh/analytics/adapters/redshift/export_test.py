"""The Redshift batch export: the COPY statement's SQL, and the file it loads written to
S3 (moto's S3, a server of this module's own). No Redshift runs here."""

from __future__ import annotations

import gzip
import json
import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from cmh.analytics.adapters.redshift.export import RedshiftExporter, copy_statement
from cmh.analytics.adapters.redshift.settings import RedshiftSettings
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.facts import Fact
from cmh_testing.analytics.events import T0

SETTINGS = RedshiftSettings(
    bucket="cmh-export",
    prefix="facts",
    region="eu-west-1",
    iam_role_arn="arn:aws:iam::123456789012:role/cmh-redshift-load",
    schema="warehouse",
)


def test_the_copy_statement() -> None:
    sql = copy_statement(SETTINGS, "facts/2026/03/02/facts-1.jsonl.gz")
    assert " ".join(sql.split()) == (
        "COPY warehouse.analytics_facts FROM 's3://cmh-export/facts/2026/03/02/facts-1.jsonl.gz' "
        "WITH CREDENTIALS AS 'aws_iam_role=arn:aws:iam::123456789012:role/cmh-redshift-load' "
        "FORMAT AS JSON AS 'auto' GZIP TIMEFORMAT AS 'auto' REGION 'eu-west-1'"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3() -> Iterator[Any]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    client = boto3.client(
        "s3",
        region_name="eu-west-1",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )
    client.create_bucket(
        Bucket=SETTINGS.bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    yield client
    server.stop()


def test_a_batch_is_one_gzipped_json_lines_file_on_s3(s3: Any) -> None:
    facts = [
        Fact("e1", k.ENROLLED, T0, "ann", "c-aws"),
        Fact(
            "e2",
            k.ATTEMPT_GRADED,
            T0,
            "ann",
            "c-aws",
            "l2",
            "a1",
            75.0,
            {"skills": [{"skill": "s3", "earned": 3, "possible": 4}]},
        ),
    ]
    batch = RedshiftExporter(SETTINGS, s3).export(facts, T0)
    assert batch.rows == 2
    assert batch.key.startswith("facts/2026/03/02/")
    assert f"s3://cmh-export/{batch.key}" in batch.copy_sql
    body = s3.get_object(Bucket=SETTINGS.bucket, Key=batch.key)["Body"].read()
    lines = [json.loads(line) for line in gzip.decompress(body).splitlines()]
    assert [row["event_id"] for row in lines] == ["e1", "e2"]
    assert lines[1]["value"] == 75.0
    assert json.loads(lines[1]["attrs"])["skills"][0]["skill"] == "s3"
    assert lines[0]["occurred_at"] == "2026-03-02T09:00:00Z"
