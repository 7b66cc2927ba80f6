"""``IdentityProvider`` over the embedded profile's stand-in provider (``local_idp``):
the authorize URL points at its sign-in page, the code is redeemed in process with the
same rules a real provider applies."""

from __future__ import annotations

from urllib.parse import urlencode

from cmh.users.adapters.identity.local_idp import (
    AUTHORIZE_PATH,
    CLIENT_ID,
    PROVIDER,
    LocalIdentityServer,
)
from cmh.users.application.ports import ExternalIdentity


class LocalIdentityProvider:
    provider = PROVIDER

    def __init__(self, server: LocalIdentityServer, base_url: str) -> None:
        self._server = server
        self._base_url = base_url.rstrip("/")

    def authorization_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": CLIENT_ID,
                "redirect_uri": redirect_uri,
                "scope": "openid profile email",
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self._base_url}{AUTHORIZE_PATH}?{query}"

    async def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str
    ) -> ExternalIdentity:
        return self._server.redeem(code, redirect_uri=redirect_uri, code_verifier=code_verifier)
