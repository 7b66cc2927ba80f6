"""The embedded profile's media server: signed, expiring URLs made by ``LocalUrlSigner``.

``GET`` serves a file (single byte ranges too, so video players can seek); ``PUT`` is the
target of the presigned upload URL. Anything unsigned, tampered or expired is a 403.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get, put
from litestar.params import FromPath, FromQuery
from litestar.response import File

from cmh.content.adapters.local.signer import MEDIA_PATH, LocalUrlSigner
from cmh.content.adapters.local.storage import FilesystemObjectStorage
from cmh.kernel.clock import Clock
from cmh.kernel.errors import NotFound
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.kernel.web.problems import problem

MAX_LOCAL_UPLOAD_BYTES = 512 * 1024 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) inclusive for one ``bytes=`` range; None to send the whole file."""
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first_text, last_text = match.groups()
    if first_text == "":
        first, last = max(0, size - int(last_text)), size - 1
    else:
        first = int(first_text)
        last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size or first > last:
        raise ValueError(f"the file has {size} bytes")
    return first, last


def _read_slice(path: Path, first: int, last: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(first)
        return handle.read(last - first + 1)


def _cache_control(expires: int, now: float) -> str:
    # The bytes never change for a key, but the URL stops working at `expires`.
    return f"private, max-age={max(0, int(expires - now))}"


class MediaController(Controller):
    path = MEDIA_PATH
    tags = ["media"]
    security = []

    @get(
        "/{key:path}",
        operation_id="media_download",
        responses=problem_responses(403),
        summary="Serve a signed media file",
    )
    @inject
    async def download(
        self,
        request: Request[Any, Any, Any],
        key: FromPath[str],
        signer: FromDishka[LocalUrlSigner],
        storage: FromDishka[FilesystemObjectStorage],
        clock: FromDishka[Clock],
        expires: FromQuery[str] = "",
        signature: FromQuery[str] = "",
    ) -> Response[Any]:
        key = key.lstrip("/")
        now = clock.now()
        expiry = signer.verify("GET", key, expires=expires, signature=signature, now=now)
        path = storage.path_for(key)
        try:
            size = (await asyncio.to_thread(path.stat)).st_size
        except FileNotFoundError as exc:
            raise NotFound(f"no media at {key!r}", code="media_not_found") from exc
        media_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        headers = {
            "Cache-Control": _cache_control(expiry, now.timestamp()),
            "Accept-Ranges": "bytes",
        }
        try:
            wanted = _byte_range(request.headers.get("range", ""), size)
        except ValueError as exc:
            return problem(
                request,
                status=416,
                title="Range not satisfiable",
                detail=str(exc),
                code="range_not_satisfiable",
                headers={"Content-Range": f"bytes */{size}"},
            )
        if wanted is None:
            return File(
                path, media_type=media_type, content_disposition_type="inline", headers=headers
            )
        first, last = wanted
        body = await asyncio.to_thread(_read_slice, path, first, last)
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
        return Response(body, status_code=206, media_type=media_type, headers=headers)

    @put(
        "/{key:path}",
        operation_id="media_upload",
        responses=problem_responses(403, 409),
        status_code=204,
        request_max_body_size=MAX_LOCAL_UPLOAD_BYTES,
        summary="Upload to a presigned media URL",
    )
    @inject
    async def upload(
        self,
        request: Request[Any, Any, Any],
        key: FromPath[str],
        signer: FromDishka[LocalUrlSigner],
        storage: FromDishka[FilesystemObjectStorage],
        clock: FromDishka[Clock],
        expires: FromQuery[str] = "",
        signature: FromQuery[str] = "",
    ) -> None:
        key = key.lstrip("/")
        signer.verify("PUT", key, expires=expires, signature=signature, now=clock.now())
        path = storage.path_for(key)
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        fd, tmp = await asyncio.to_thread(tempfile.mkstemp, dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                async for chunk in request.stream():
                    await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(os.replace, tmp, path)
        except BaseException:
            await asyncio.to_thread(Path(tmp).unlink, missing_ok=True)
            raise
