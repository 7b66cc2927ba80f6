"""``/api/v1/users``: the caller's own account (read, update, export, erase) and reading
one account by id (yourself or, for administrators, anyone)."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, patch
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.users.api.schemas import UpdateProfileRequest
from cmh.users.api.security import BEARER
from cmh.users.application.erase_me import EraseMe
from cmh.users.application.export_my_data import ExportMyData
from cmh.users.application.get_user import GetUser
from cmh.users.application.update_profile import UpdateProfile
from cmh.users.application.views import DataExport, UserView
from cmh.users.domain.profile import ProfileChanges, SkillLevel


def _changes(data: UpdateProfileRequest) -> ProfileChanges:
    return ProfileChanges(
        display_name=None if data.display_name is UNSET else data.display_name,
        locale=None if data.locale is UNSET else data.locale,
        timezone=None if data.timezone is UNSET else data.timezone,
        interests=None if data.interests is UNSET else tuple(data.interests),
        skill_level=None if data.skill_level is UNSET else SkillLevel(data.skill_level),
    )


class UsersController(Controller):
    path = "/api/v1/users"
    tags = ["users"]
    security = BEARER

    @get("/me", operation_id="users_me")
    @inject
    async def me(self, caller: FromDishka[Principal], get_user: FromDishka[GetUser]) -> UserView:
        return await get_user.execute(caller, caller.user_id)

    @patch("/me", operation_id="users_update_me")
    @inject
    async def update_me(
        self,
        data: JSONBody[UpdateProfileRequest],
        caller: FromDishka[Principal],
        update: FromDishka[UpdateProfile],
    ) -> UserView:
        return await update.execute(caller, _changes(data))

    @get("/me/export", operation_id="users_export_me")
    @inject
    async def export_me(
        self, caller: FromDishka[Principal], export: FromDishka[ExportMyData]
    ) -> DataExport:
        return await export.execute(caller)

    @delete("/me", status_code=204, operation_id="users_erase_me", responses=problem_responses(409))
    @inject
    async def erase_me(self, caller: FromDishka[Principal], erase: FromDishka[EraseMe]) -> None:
        await erase.execute(caller)

    @get("/{user_id:str}", operation_id="users_get")
    @inject
    async def get_user(
        self, user_id: FromPath[str], caller: FromDishka[Principal], get_user: FromDishka[GetUser]
    ) -> UserView:
        return await get_user.execute(caller, user_id)
