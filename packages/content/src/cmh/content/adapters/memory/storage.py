"""In-memory ObjectStorage: objects live in a dict; uploads are simulated with put_bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from cmh.content.application.ports import PresignedUpload, StoredObject


@dataclass(frozen=True, slots=True)
class MemoryObject:
    data: bytes
    content_type: str


class MemoryObjectStorage:
    def __init__(self) -> None:
        self.objects: dict[str, MemoryObject] = {}

    async def presign_upload(
        self, key: str, *, content_type: str, expires_at: datetime
    ) -> PresignedUpload:
        return PresignedUpload(
            url=f"memory://objects/{quote(key)}?expires={int(expires_at.timestamp())}",
            method="PUT",
            expires_at=expires_at,
            headers={"Content-Type": content_type},
        )

    async def head(self, key: str) -> StoredObject | None:
        found = self.objects.get(key)
        if found is None:
            return None
        return StoredObject(key=key, size_bytes=len(found.data), content_type=found.content_type)

    async def get_bytes(self, key: str) -> bytes | None:
        found = self.objects.get(key)
        return None if found is None else found.data

    async def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        self.objects[key] = MemoryObject(data, content_type)

    async def copy(self, source_key: str, target_key: str) -> None:
        self.objects[target_key] = self.objects[source_key]
