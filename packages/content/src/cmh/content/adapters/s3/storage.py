"""ObjectStorage on Amazon S3 (boto3). boto3 is synchronous: calls run in a thread."""

from __future__ import annotations

import asyncio
import math
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from cmh.content.application.ports import PresignedUpload, StoredObject
from cmh.kernel.clock import Clock

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


def _is_not_found(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _NOT_FOUND


class S3ObjectStorage:
    def __init__(self, client: Any, bucket: str, clock: Clock) -> None:
        self._client = client
        self._bucket = bucket
        self._clock = clock

    async def presign_upload(
        self, key: str, *, content_type: str, expires_at: datetime
    ) -> PresignedUpload:
        expires_in = max(1, math.ceil((expires_at - self._clock.now()).total_seconds()))
        url = await asyncio.to_thread(
            self._client.generate_presigned_url,
            "put_object",
            Params={"Bucket": self._bucket, "Key": key, "ContentType": content_type},
            ExpiresIn=expires_in,
            HttpMethod="PUT",
        )
        # Content-Type is part of the signature: the client must send exactly this header.
        return PresignedUpload(
            url=url, method="PUT", expires_at=expires_at, headers={"Content-Type": content_type}
        )

    async def head(self, key: str) -> StoredObject | None:
        try:
            answer = await asyncio.to_thread(self._client.head_object, Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if _is_not_found(exc):
                return None
            raise
        return StoredObject(
            key=key, size_bytes=int(answer["ContentLength"]), content_type=answer.get("ContentType")
        )

    def _read(self, key: str) -> bytes | None:
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if _is_not_found(exc):
                return None
            raise
        body = answer["Body"]
        try:
            return bytes(body.read())
        finally:
            body.close()

    async def get_bytes(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._read, key)

    async def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(
            self._client.put_object,
            Bucket=self._bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
        )

    async def copy(self, source_key: str, target_key: str) -> None:
        await asyncio.to_thread(
            self._client.copy_object,
            Bucket=self._bucket,
            Key=target_key,
            CopySource={"Bucket": self._bucket, "Key": source_key},
        )
