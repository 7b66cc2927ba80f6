"""The request's Principal as a dishka dependency: controllers ask for it and get either
a verified caller or a 401 problem."""

from __future__ import annotations

from dishka import Provider, Scope, provide
from litestar import Request

from cmh.kernel.auth.authenticator import Authenticator, bearer_token
from cmh.kernel.auth.principal import Principal


class PrincipalProvider(Provider):
    scope = Scope.REQUEST

    @provide
    async def principal(self, request: Request, authenticator: Authenticator) -> Principal:  # type: ignore[type-arg]
        return await authenticator.authenticate(bearer_token(request.headers.get("authorization")))
