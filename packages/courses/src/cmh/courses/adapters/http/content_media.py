"""Attaching an asset to a course, asked of the content service with the caller's own
token (content decides whether they may use it):
``PUT /internal/v1/content/assets/{asset_id}/courses/{course_id}``, answered with the
``contracts`` asset body."""

from __future__ import annotations

from cmh.contracts.http.content import AssetResponse
from cmh.courses.adapters.http.resilient import ResilientJsonClient, decode_json, path_segment
from cmh.courses.application.ports import AttachedAsset
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import DependencyUnavailable, NotFound


class HttpMediaLibrary:
    def __init__(self, client: ResilientJsonClient, content_url: str) -> None:
        self._client = client
        self._base = content_url.rstrip("/")

    async def attach(self, caller: Principal, asset_id: str, course_id: str) -> AttachedAsset:
        # `caller` is who the relayed token names (ResilientJsonClient sends it): content
        # verifies the token itself rather than trusting a user id from us.
        response = await self._client.put(
            f"{self._base}/internal/v1/content/assets/{path_segment(asset_id)}"
            f"/courses/{path_segment(course_id)}"
        )
        if response.status_code == 404:
            raise NotFound(f"asset {asset_id} not found", code="asset_not_found")
        if response.status_code != 200:
            raise DependencyUnavailable(f"content answered {response.status_code} to attach")
        body: AssetResponse = decode_json(response, AssetResponse, "content")
        return AttachedAsset(id=body.id, kind=body.kind, status=body.status)
