"""S3ObjectStorage against moto's S3 server: the presigned PUT really uploads."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from cmh.content.adapters.s3.storage import S3ObjectStorage
from cmh.kernel.clock import SystemClock

BUCKET = "cmh-content-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_client(moto_endpoint: str) -> Any:
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=moto_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def storage(s3_client: Any) -> S3ObjectStorage:
    return S3ObjectStorage(s3_client, BUCKET, SystemClock())


async def test_presigned_put_uploads_and_head_sees_it(storage: S3ObjectStorage) -> None:
    key = "assets/a1/source/intro.mp4"
    assert await storage.head(key) is None
    upload = await storage.presign_upload(
        key, content_type="video/mp4", expires_at=SystemClock().now() + timedelta(minutes=5)
    )
    assert upload.method == "PUT"
    assert "X-Amz-Signature=" in upload.url
    async with httpx.AsyncClient() as http:
        answer = await http.put(upload.url, content=b"\x00" * 1234, headers=upload.headers)
    assert answer.status_code == 200, answer.text
    stored = await storage.head(key)
    assert stored is not None
    assert (stored.size_bytes, stored.content_type) == (1234, "video/mp4")


async def test_put_bytes_and_copy(storage: S3ObjectStorage) -> None:
    await storage.put_bytes("a/src.vtt", b"WEBVTT\n", content_type="text/vtt")
    await storage.copy("a/src.vtt", "a/copy.vtt")
    copied = await storage.head("a/copy.vtt")
    assert copied is not None
    assert copied.size_bytes == 7
