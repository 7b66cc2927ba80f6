"""Signed video URLs from the content service, for one learner in one course:
``GET /internal/v1/content/assets/{asset_id}/playback?user_id=&course_id=``, answered
with the ``contracts`` body content encodes."""

from __future__ import annotations

from cmh.contracts.http.content import PlaybackResponse
from cmh.courses.adapters.http.resilient import ResilientJsonClient, decode_json, path_segment
from cmh.courses.application.ports import PlaybackUrl
from cmh.kernel.errors import DependencyUnavailable, NotFound


class HttpPlayback:
    def __init__(self, client: ResilientJsonClient, content_url: str) -> None:
        self._client = client
        self._base = content_url.rstrip("/")

    async def url_for(self, asset_id: str, user_id: str, course_id: str) -> PlaybackUrl:
        response = await self._client.get(
            f"{self._base}/internal/v1/content/assets/{path_segment(asset_id)}/playback",
            params={"user_id": user_id, "course_id": course_id},
        )
        if response.status_code == 404:
            raise NotFound(f"video asset {asset_id} not found", code="asset_not_found")
        if response.status_code != 200:
            raise DependencyUnavailable(f"content answered {response.status_code} for playback")
        body: PlaybackResponse = decode_json(response, PlaybackResponse, "content")
        return PlaybackUrl(url=body.url, expires_at=body.expires_at)
