"""Internal route: a course starts using an asset. Courses calls it with the caller's own
token when an instructor (or an admin) puts the asset in a lesson; content decides
whether that caller may use the asset."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, put
from litestar.params import FromPath

from cmh.content.api.assets import BEARER
from cmh.content.application.attach_asset import AttachAsset
from cmh.contracts.http.content import AssetResponse
from cmh.kernel.auth.principal import Principal


class InternalAttachmentController(Controller):
    path = "/internal/v1/content/assets"
    tags = ["content-internal"]
    security = BEARER

    @put(
        "/{asset_id:str}/courses/{course_id:str}",
        operation_id="content_internal_attach_asset",
        summary="Let a course's lessons play an asset the caller owns (or any, for an admin)",
        description="404 `asset_not_found` when the asset is missing or not the caller's.",
    )
    @inject
    async def attach(
        self,
        asset_id: FromPath[str],
        course_id: FromPath[str],
        principal: FromDishka[Principal],
        use_case: FromDishka[AttachAsset],
    ) -> AssetResponse:
        return await use_case.execute(principal, asset_id, course_id)
