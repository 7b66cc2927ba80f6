"""A local fake of Auth0's Authentication API for ``httpx.MockTransport``, answering as
Auth0 documents, errors included:

* ``GET /authorize``: an unknown ``client_id`` or a ``redirect_uri`` that is not one of the
  application's Allowed Callback URLs (compared exactly) gets an error page and no
  redirect; otherwise the signed-in user (``sign_in_as``) is sent back with ``302`` to
  ``redirect_uri?code=...&state=...``. PKCE: ``code_challenge_method=S256`` is required.
* ``POST /oauth/token``: client credentials, then the code: unknown, used or expired
  (``code_ttl_seconds``), issued for another ``redirect_uri``, or a ``code_verifier`` that
  fails its challenge are all ``403 invalid_grant``.
* ``GET /userinfo`` with the access token: the user's profile.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlencode

import httpx

from cmh.kernel.clock import FrozenClock
from cmh.users.domain.pkce import verifier_matches


@dataclass
class _Grant:
    profile: dict[str, object]
    redirect_uri: str
    code_challenge: str
    expires_at: datetime


def _oauth_error(status: int, error: str, description: str) -> httpx.Response:
    return httpx.Response(status, json={"error": error, "error_description": description})


@dataclass
class FakeAuth0:
    client_id: str = "client-123"
    client_secret: str = "secret-456"  # noqa: S105 - the fake's own test credential
    callback_urls: list[str] = field(default_factory=lambda: ["https://app.example.com/callback"])
    clock: FrozenClock = field(default_factory=FrozenClock)
    code_ttl_seconds: int = 600
    # Who is signed in at Auth0 when the browser reaches /authorize.
    sign_in_as: dict[str, object] | None = None
    failure_status: int | None = None
    requests: list[httpx.Request] = field(default_factory=list)
    _grants: dict[str, _Grant] = field(default_factory=dict)
    _access_tokens: dict[str, dict[str, object]] = field(default_factory=dict)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    async def authorize(self, authorization_url: str, profile: dict[str, object]) -> httpx.Response:
        """The browser at ``authorization_url`` with ``profile`` signed in at Auth0."""
        self.sign_in_as = profile
        async with httpx.AsyncClient(transport=self.transport()) as browser:
            return await browser.get(authorization_url)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failure_status is not None:
            return httpx.Response(self.failure_status, text="upstream trouble")
        if request.method == "GET" and request.url.path == "/authorize":
            return self._authorize(request)
        if request.method == "POST" and request.url.path == "/oauth/token":
            return self._token(request)
        if request.method == "GET" and request.url.path == "/userinfo":
            return self._userinfo(request)
        return httpx.Response(404, json={"error": "not_found"})

    def _authorize(self, request: httpx.Request) -> httpx.Response:
        query = request.url.params
        if query.get("client_id") != self.client_id:
            return httpx.Response(400, text="Unknown client")
        redirect_uri = query.get("redirect_uri", "")
        if redirect_uri not in self.callback_urls:
            return httpx.Response(400, text="Callback URL mismatch")
        state = query.get("state", "")
        if query.get("response_type") != "code":
            return self._redirect(redirect_uri, error="unsupported_response_type", state=state)
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return self._redirect(redirect_uri, error="invalid_request", state=state)
        if self.sign_in_as is None:
            return self._redirect(redirect_uri, error="login_required", state=state)
        code = secrets.token_urlsafe(24)
        self._grants[code] = _Grant(
            dict(self.sign_in_as),
            redirect_uri,
            query["code_challenge"],
            self.clock.now() + timedelta(seconds=self.code_ttl_seconds),
        )
        return self._redirect(redirect_uri, code=code, state=state)

    @staticmethod
    def _redirect(redirect_uri: str, **params: str) -> httpx.Response:
        return httpx.Response(302, headers={"location": f"{redirect_uri}?{urlencode(params)}"})

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _oauth_error(401, "access_denied", "Unauthorized")
        if form.get("grant_type") != "authorization_code":
            return _oauth_error(403, "unsupported_grant_type", "Unsupported grant type")
        grant = self._grants.pop(form.get("code", ""), None)  # one use, whatever happens
        if grant is None or self.clock.now() >= grant.expires_at:
            return _oauth_error(403, "invalid_grant", "Invalid authorization code")
        if form.get("redirect_uri") != grant.redirect_uri:
            return _oauth_error(403, "invalid_grant", "Invalid redirect URI")
        if not verifier_matches(form.get("code_verifier", ""), grant.code_challenge):
            return _oauth_error(403, "invalid_grant", "Failed to verify code verifier")
        access_token = secrets.token_urlsafe(16)
        self._access_tokens[access_token] = grant.profile
        return httpx.Response(
            200,
            json={
                "access_token": access_token,
                "id_token": "eyJ.fake.idtoken",
                "token_type": "Bearer",
                "expires_in": 86400,
                "scope": "openid profile email",
            },
        )

    def _userinfo(self, request: httpx.Request) -> httpx.Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        profile = self._access_tokens.get(token) if scheme == "Bearer" else None
        if profile is None:
            return httpx.Response(401, text="Unauthorized")
        return httpx.Response(
            200, content=json.dumps(profile).encode(), headers={"content-type": "application/json"}
        )
