"""OAuth 2.0 client credentials for platform services: a valid client id and secret get
a short-lived access token with the ``service`` role (for the ``/internal`` endpoints)."""

from __future__ import annotations

from cmh.contracts.http.users import ServiceTokenResponse
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import Unauthenticated
from cmh.users.application.ports import AccessTokens
from cmh.users.domain.roles import service_principal
from cmh.users.domain.service_clients import ServiceClients


class IssueServiceToken:
    def __init__(
        self, clients: ServiceClients, access_tokens: AccessTokens, clock: Clock, ids: IdGenerator
    ) -> None:
        self._clients = clients
        self._access_tokens = access_tokens
        self._clock = clock
        self._ids = ids

    async def execute(self, *, client_id: str, client_secret: str) -> ServiceTokenResponse:
        if not self._clients.authenticate(client_id, client_secret):
            raise Unauthenticated("unknown client or wrong secret", code="invalid_client")
        token_id = self._ids.new_id()
        token = self._access_tokens.issue_access(
            service_principal(client_id, token_id=token_id),
            now=self._clock.now(),
            token_id=token_id,
        )
        return ServiceTokenResponse(
            access_token=token, expires_in=int(self._access_tokens.access_ttl.total_seconds())
        )
