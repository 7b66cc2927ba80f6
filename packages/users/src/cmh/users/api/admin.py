"""``/api/v1/admin/users``: administrators list accounts and change roles or status."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, patch
from litestar.params import FromPath, JSONBody, QueryParameter
from msgspec import UNSET

from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.web.guards import requires_role
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.users.api.schemas import AdminUpdateUserRequest
from cmh.users.api.security import BEARER
from cmh.users.application.admin_list_users import MAX_PAGE_SIZE, AdminListUsers
from cmh.users.application.admin_update_user import AdminUpdateUser
from cmh.users.application.views import UserPage, UserView


class AdminUsersController(Controller):
    path = "/api/v1/admin/users"
    tags = ["admin"]
    security = BEARER
    # Before any body or query is read; the use cases check again (ensure_admin).
    guards = [requires_role(Role.ADMIN, code="admin_only")]

    @get("/", operation_id="admin_list_users", responses=problem_responses(403))
    @inject
    async def list_users(
        self,
        caller: FromDishka[Principal],
        list_users: FromDishka[AdminListUsers],
        cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
    ) -> UserPage:
        return await list_users.execute(caller, cursor=cursor, limit=limit)

    @patch(
        "/{user_id:str}", operation_id="admin_update_user", responses=problem_responses(403, 409)
    )
    @inject
    async def update_user(
        self,
        user_id: FromPath[str],
        data: JSONBody[AdminUpdateUserRequest],
        caller: FromDishka[Principal],
        update: FromDishka[AdminUpdateUser],
    ) -> UserView:
        return await update.execute(
            caller,
            user_id,
            roles=None if data.roles is UNSET else list(data.roles),
            status=None if data.status is UNSET else data.status,
        )
