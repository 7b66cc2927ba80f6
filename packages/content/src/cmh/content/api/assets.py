"""Public asset routes: register (get an upload URL), confirm the upload, read."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from cmh.content.api.schemas import AssetCreate
from cmh.content.application.confirm_upload import ConfirmUpload
from cmh.content.application.get_asset import GetAsset
from cmh.content.application.register_asset import RegisterAsset, RegisterAssetCommand
from cmh.content.application.views import RegisteredAsset
from cmh.contracts.http.content import AssetResponse
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.web.guards import requires_role
from cmh.kernel.web.openapi_problems import problem_responses

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
# Before the body is read (RegisterAsset checks again): a learner learns nothing of it.
INSTRUCTORS_ONLY = requires_role(Role.INSTRUCTOR, Role.ADMIN, code="instructor_required")


class AssetController(Controller):
    path = "/api/v1/content/assets"
    tags = ["content"]
    security = BEARER

    @post(
        "/",
        operation_id="content_register_asset",
        guards=[INSTRUCTORS_ONLY],
        responses=problem_responses(403),
        status_code=201,
        summary="Register a media file and get a presigned upload URL",
    )
    @inject
    async def register(
        self,
        data: JSONBody[AssetCreate],
        principal: FromDishka[Principal],
        use_case: FromDishka[RegisterAsset],
    ) -> RegisteredAsset:
        command = RegisterAssetCommand(
            filename=data.filename,
            content_type=data.content_type,
            size_bytes=data.size_bytes,
            kind=data.kind,
        )
        return await use_case.execute(principal, command)

    @post(
        "/{asset_id:str}/uploaded",
        operation_id="content_confirm_upload",
        responses=problem_responses(409),
        status_code=202,
        summary="Confirm the upload; processing starts in the background",
    )
    @inject
    async def confirm(
        self,
        asset_id: FromPath[str],
        principal: FromDishka[Principal],
        use_case: FromDishka[ConfirmUpload],
    ) -> AssetResponse:
        return await use_case.execute(principal, asset_id)

    @get("/{asset_id:str}", operation_id="content_get_asset", summary="Read an asset you own")
    @inject
    async def read(
        self,
        asset_id: FromPath[str],
        principal: FromDishka[Principal],
        use_case: FromDishka[GetAsset],
    ) -> AssetResponse:
        return await use_case.execute(principal, asset_id)
