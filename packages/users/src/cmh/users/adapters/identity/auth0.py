"""Auth0 through its documented Authentication API, authorization code flow with PKCE.

1. The browser goes to ``GET https://{domain}/authorize`` with ``response_type=code``,
   ``client_id``, ``redirect_uri`` (one of the application's Allowed Callback URLs, exactly),
   ``scope``, ``state``, ``code_challenge`` and ``code_challenge_method=S256``; Auth0 sends it
   back to ``redirect_uri`` with ``code`` and the same ``state``.
2. ``POST https://{domain}/oauth/token`` (form-encoded ``grant_type=authorization_code``,
   ``client_id``, ``client_secret``, ``code``, ``redirect_uri``, ``code_verifier``) answers
   ``{"access_token", "id_token", "token_type": "Bearer", "expires_in"}``, or an OAuth
   error such as ``403 {"error": "invalid_grant", "error_description": ...}`` (a used,
   expired or unknown code, another redirect URI, a verifier that fails the challenge).
3. ``GET https://{domain}/userinfo`` with that access token answers the OIDC standard
   claims (``sub``, ``email``, ``email_verified``, ``name``, ...).

The user info comes straight from Auth0 over TLS with our client credentials, so it is
trusted as is (OIDC Core 5.3); the ID token is not needed. Whether ``email_verified`` is
enough to open or link an account is the use case's rule, the same for every provider.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import msgspec
import structlog

from cmh.kernel.errors import DependencyUnavailable, Unauthenticated
from cmh.users.application.ports import ExternalIdentity
from cmh.users.settings import Auth0Settings

log = structlog.get_logger("cmh.users.auth0")

# OAuth errors that mean "this code is no good", as opposed to our own misconfiguration.
_REFUSED_GRANT = {"invalid_grant", "invalid_request"}


class _TokenResponse(msgspec.Struct):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - a token type name, not a secret


class _UserInfo(msgspec.Struct):
    sub: str
    email: str = ""
    email_verified: bool = False
    name: str | None = None


class Auth0IdentityProvider:
    provider = "auth0"

    def __init__(self, settings: Auth0Settings, http: httpx.AsyncClient) -> None:
        if not settings.configured:
            raise ValueError("Auth0 needs a domain, a client id and a client secret")
        self._settings = settings
        self._http = http

    def authorization_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self._settings.client_id,
                "redirect_uri": redirect_uri,
                "scope": self._settings.scope,
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self._settings.base_url}/authorize?{query}"

    async def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str
    ) -> ExternalIdentity:
        tokens = await self._call(
            "POST",
            "/oauth/token",
            _TokenResponse,
            data={
                "grant_type": "authorization_code",
                "client_id": self._settings.client_id,
                "client_secret": self._settings.client_secret,
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            },
        )
        info = await self._call(
            "GET",
            "/userinfo",
            _UserInfo,
            headers={"Authorization": f"Bearer {tokens.access_token}"},
        )
        return ExternalIdentity(
            provider=self.provider,
            subject=info.sub,
            email=info.email,
            email_verified=info.email_verified,
            name=info.name,
        )

    async def _call(self, method: str, path: str, shape: type[Any], **kwargs: Any) -> Any:
        try:
            response = await self._http.request(
                method,
                self._settings.base_url + path,
                timeout=self._settings.timeout_seconds,
                **kwargs,
            )
        except httpx.HTTPError as exc:
            raise DependencyUnavailable(f"Auth0 did not answer: {exc!r}") from exc
        if response.status_code >= 500:
            raise DependencyUnavailable(f"Auth0 answered {response.status_code}")
        if response.status_code >= 400:
            self._refuse(path, response)
        try:
            return msgspec.json.decode(response.content, type=shape)
        except msgspec.DecodeError as exc:
            raise DependencyUnavailable(f"unexpected answer from Auth0 {path}: {exc}") from exc

    @staticmethod
    def _refuse(path: str, response: httpx.Response) -> None:
        try:
            error = str(response.json().get("error", ""))
        except ValueError:
            error = ""
        if path == "/oauth/token" and error in _REFUSED_GRANT:
            raise Unauthenticated(
                "the sign-in code was refused; sign in again", code="sso_code_invalid"
            )
        # Bad client credentials or a revoked grant for /userinfo: our configuration or
        # Auth0's state is wrong, not the learner's input.
        log.error("users.auth0_refused", path=path, status=response.status_code, error=error)
        raise DependencyUnavailable("single sign-on is not available right now")
