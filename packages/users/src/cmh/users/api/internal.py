"""``/internal/v1/users``: service-to-service endpoints (tier updates from payments,
entitlements and preferences for courses, labs, analytics, notifications, accounts named
by email address for the forum's mentions, the administrators for notifications' alerts). Callers
present a token with the ``service`` role (from ``/internal/v1/auth/token``, client
credentials) or an admin's."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post, put
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, JSONBody

from cmh.contracts.http.users import (
    AdministratorsResponse,
    ChangeTierRequest,
    EntitlementsResponse,
    PreferencesResponse,
    ServiceTokenRequest,
    ServiceTokenResponse,
    TierResponse,
    UserLookupRequest,
    UserLookupResponse,
)
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.web.guards import requires_role
from cmh.users.api.security import BEARER
from cmh.users.application.change_tier import ChangeTier
from cmh.users.application.find_users_by_email import FindUsersByEmail
from cmh.users.application.get_entitlements import GetEntitlements
from cmh.users.application.get_preferences import GetPreferences
from cmh.users.application.issue_service_token import IssueServiceToken
from cmh.users.application.list_administrators import ListAdministrators
from cmh.users.domain.roles import SERVICE_ROLE


class InternalUsersController(Controller):
    path = "/internal/v1/users"
    tags = ["internal"]
    security = BEARER

    @put(
        "/{user_id:str}/tier",
        operation_id="internal_change_tier",
        # Before the body is read; ChangeTier checks again (ensure_service_or_admin).
        guards=[requires_role(SERVICE_ROLE, Role.ADMIN, code="service_only")],
    )
    @inject
    async def change_tier(
        self,
        user_id: FromPath[str],
        data: JSONBody[ChangeTierRequest],
        caller: FromDishka[Principal],
        change_tier: FromDishka[ChangeTier],
    ) -> TierResponse:
        return await change_tier.execute(caller, user_id, tier=data.tier, reason=data.reason)

    @get(
        "/administrators",
        operation_id="internal_users_administrators",
        guards=[requires_role(SERVICE_ROLE, Role.ADMIN, code="service_only")],
    )
    @inject
    async def administrators(
        self, caller: FromDishka[Principal], list_administrators: FromDishka[ListAdministrators]
    ) -> AdministratorsResponse:
        return await list_administrators.execute(caller)

    @get("/{user_id:str}/entitlements", operation_id="internal_entitlements")
    @inject
    async def entitlements(
        self,
        user_id: FromPath[str],
        caller: FromDishka[Principal],
        get_entitlements: FromDishka[GetEntitlements],
    ) -> EntitlementsResponse:
        return await get_entitlements.execute(caller, user_id)

    @get("/{user_id:str}/preferences", operation_id="internal_preferences")
    @inject
    async def preferences(
        self,
        user_id: FromPath[str],
        caller: FromDishka[Principal],
        get_preferences: FromDishka[GetPreferences],
    ) -> PreferencesResponse:
        return await get_preferences.execute(caller, user_id)

    @post(
        "/lookup",
        status_code=200,
        operation_id="internal_users_lookup",
        guards=[requires_role(SERVICE_ROLE, Role.ADMIN, code="service_only")],
    )
    @inject
    async def lookup(
        self,
        data: JSONBody[UserLookupRequest],
        caller: FromDishka[Principal],
        find: FromDishka[FindUsersByEmail],
    ) -> UserLookupResponse:
        return await find.execute(caller, data.emails)


class InternalAuthController(Controller):
    path = "/internal/v1/auth"
    tags = ["internal"]

    @post(
        "/token",
        status_code=200,
        operation_id="internal_service_token",
        cache_control=CacheControlHeader(no_store=True),
    )
    @inject
    async def token(
        self, data: JSONBody[ServiceTokenRequest], issue: FromDishka[IssueServiceToken]
    ) -> ServiceTokenResponse:
        return await issue.execute(client_id=data.client_id, client_secret=data.client_secret)
