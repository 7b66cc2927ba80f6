"""One contract for every ObjectStorage: memory, the local filesystem and S3 (moto server)."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from cmh.content.adapters.local.signer import LocalUrlSigner
from cmh.content.adapters.local.storage import FilesystemObjectStorage
from cmh.content.adapters.memory.storage import MemoryObjectStorage
from cmh.content.adapters.s3.storage import S3ObjectStorage
from cmh.content.application.ports import ObjectStorage
from cmh.kernel.clock import SystemClock

BUCKET = "cmh-content-contract"
BINARY = bytes(range(256)) * 5


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


@pytest.fixture(params=["memory", "filesystem", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStorage:
    if request.param == "memory":
        return MemoryObjectStorage()
    if request.param == "filesystem":
        signer = LocalUrlSigner(secrets.token_bytes(32), "http://testserver.local")
        return FilesystemObjectStorage(tmp_path, signer)
    endpoint = request.getfixturevalue("moto_endpoint")
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    bucket = f"{BUCKET}-{secrets.token_hex(4)}"
    client.create_bucket(Bucket=bucket)
    return S3ObjectStorage(client, bucket, SystemClock())


async def test_get_bytes_returns_exactly_what_was_put(storage: ObjectStorage) -> None:
    await storage.put_bytes("assets/a1/source/intro.mp4", BINARY, content_type="video/mp4")
    assert await storage.get_bytes("assets/a1/source/intro.mp4") == BINARY
    stored = await storage.head("assets/a1/source/intro.mp4")
    assert stored is not None
    assert stored.size_bytes == len(BINARY)


async def test_missing_objects_are_none(storage: ObjectStorage) -> None:
    assert await storage.get_bytes("assets/nope/source/intro.mp4") is None
    assert await storage.head("assets/nope/source/intro.mp4") is None


async def test_put_overwrites_and_copy_is_readable(storage: ObjectStorage) -> None:
    await storage.put_bytes("a/src.bin", b"first", content_type="application/octet-stream")
    await storage.put_bytes("a/src.bin", b"second", content_type="application/octet-stream")
    await storage.copy("a/src.bin", "a/copy.bin")
    assert await storage.get_bytes("a/src.bin") == b"second"
    assert await storage.get_bytes("a/copy.bin") == b"second"
