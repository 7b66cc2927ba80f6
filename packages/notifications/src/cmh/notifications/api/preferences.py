"""The caller's notification preferences, and the one-click unsubscribe link of a mail,
which works without signing in (its token is signed)."""

from __future__ import annotations

from typing import Annotated

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post, put
from litestar.params import FromQuery, JSONBody, Parameter

from cmh.kernel.auth.principal import Principal
from cmh.kernel.web.openapi_problems import problem_responses
from cmh.notifications.api.schemas import PreferencesBody
from cmh.notifications.application.preferences import (
    GetPreferences,
    Unsubscribe,
    UpdatePreferences,
)
from cmh.notifications.application.views import PreferencesView, Unsubscribed

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
Token = Annotated[str, Parameter(min_length=1, max_length=1000)]


class PreferencesController(Controller):
    path = "/api/v1/notifications/preferences"
    tags = ["notifications"]

    @get(
        "/me",
        operation_id="notifications_preferences_get",
        summary="My notification preferences",
        security=BEARER,
    )
    @inject
    async def mine(
        self, principal: FromDishka[Principal], preferences: FromDishka[GetPreferences]
    ) -> PreferencesView:
        return await preferences.execute(principal)

    @put(
        "/me",
        operation_id="notifications_preferences_put",
        summary="Replace my notification preferences",
        security=BEARER,
    )
    @inject
    async def replace(
        self,
        data: JSONBody[PreferencesBody],
        principal: FromDishka[Principal],
        update: FromDishka[UpdatePreferences],
    ) -> PreferencesView:
        return await update.execute(principal, data.change())


class UnsubscribeController(Controller):
    path = "/api/v1/notifications/unsubscribe"
    tags = ["notifications"]

    @get(
        "",
        operation_id="notifications_unsubscribe",
        responses=problem_responses(422),
        summary="Stop the mail of one category (the link in every mail; no sign-in)",
        description="422 `invalid_unsubscribe_token` for a token this platform did not sign.",
    )
    @inject
    async def unsubscribe(
        self, token: FromQuery[Token], unsubscribe: FromDishka[Unsubscribe]
    ) -> Unsubscribed:
        return await unsubscribe.execute(token)

    @post(
        "",
        operation_id="notifications_unsubscribe_one_click",
        status_code=200,
        responses=problem_responses(422),
        summary="The same, as mail clients' one-click unsubscribe (RFC 8058) posts it",
    )
    @inject
    async def one_click(
        self, token: FromQuery[Token], unsubscribe: FromDishka[Unsubscribe]
    ) -> Unsubscribed:
        return await unsubscribe.execute(token)
