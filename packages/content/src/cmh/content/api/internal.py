"""Internal routes, for other services only (the gateway does not route ``/internal``)."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get
from litestar.params import FromPath, QueryParameter

from cmh.content.application.playback_url import PlaybackUrl
from cmh.contracts.http.content import PlaybackResponse


class InternalPlaybackController(Controller):
    path = "/internal/v1/content/assets"
    tags = ["content-internal"]
    security = []

    @get(
        "/{asset_id:str}/playback",
        operation_id="content_internal_playback_url",
        summary="A signed playback URL for a learner courses has found entitled",
    )
    @inject
    async def playback(
        self,
        asset_id: FromPath[str],
        use_case: FromDishka[PlaybackUrl],
        user_id: Annotated[str, QueryParameter(min_length=1, max_length=200)],
        course_id: Annotated[str, QueryParameter(min_length=1, max_length=200)],
    ) -> Response[PlaybackResponse]:
        # Only for a course the asset was attached to (see InternalAttachmentController).
        playback = await use_case.execute(asset_id, user_id=user_id, course_id=course_id)
        # The answer is one learner's short-lived URL: no shared cache may keep it.
        return Response(playback, headers={"Cache-Control": "no-store"})
