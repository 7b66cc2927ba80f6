"""ObjectStorage on the local filesystem (embedded profile): one file per key under a
root directory; uploads arrive through the signed ``PUT /media/...`` route."""

from __future__ import annotations

import asyncio
import mimetypes
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from cmh.content.adapters.local.signer import LocalUrlSigner
from cmh.content.application.ports import PresignedUpload, StoredObject
from cmh.kernel.errors import InvalidInput


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _copy_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".copy-")
    os.close(fd)
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


class FilesystemObjectStorage:
    def __init__(self, root: Path, signer: LocalUrlSigner) -> None:
        self.root = root.resolve()
        self._signer = signer

    def path_for(self, key: str) -> Path:
        """The file of ``key``; keys that would leave the root are refused."""
        parts = key.split("/")
        malformed = not key or key.startswith("/") or "\\" in key
        if malformed or any(p in ("", ".", "..") for p in parts):
            raise InvalidInput(f"not a valid object key: {key!r}", field="key")
        path = self.root.joinpath(*parts)
        if not path.resolve().is_relative_to(self.root):
            raise InvalidInput(f"not a valid object key: {key!r}", field="key")
        return path

    async def presign_upload(
        self, key: str, *, content_type: str, expires_at: datetime
    ) -> PresignedUpload:
        self.path_for(key)
        return PresignedUpload(
            url=self._signer.sign_upload(key, expires_at=expires_at),
            method="PUT",
            expires_at=expires_at,
            headers={"Content-Type": content_type},
        )

    async def head(self, key: str) -> StoredObject | None:
        path = self.path_for(key)
        try:
            size = (await asyncio.to_thread(path.stat)).st_size
        except FileNotFoundError:
            return None
        return StoredObject(key=key, size_bytes=size, content_type=mimetypes.guess_type(key)[0])

    async def get_bytes(self, key: str) -> bytes | None:
        path = self.path_for(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError):
            return None

    async def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(_write_atomically, self.path_for(key), data)

    async def copy(self, source_key: str, target_key: str) -> None:
        source, target = self.path_for(source_key), self.path_for(target_key)
        await asyncio.to_thread(_copy_atomically, source, target)
