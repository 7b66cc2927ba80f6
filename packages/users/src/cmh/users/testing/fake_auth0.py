"""A local fake of Auth0's Authentication API (``/oauth/token``, ``/userinfo``) for
``httpx.MockTransport``, answering as Auth0 documents, including its errors."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import httpx


@dataclass
class FakeAuth0:
    client_id: str = "client-123"
    client_secret: str = "secret-456"  # noqa: S105 - the fake's own test credential
    # authorization code -> the profile /userinfo will answer for it
    codes: dict[str, dict[str, object]] = field(default_factory=dict)
    failure_status: int | None = None
    requests: list[httpx.Request] = field(default_factory=list)
    _access_tokens: dict[str, dict[str, object]] = field(default_factory=dict)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failure_status is not None:
            return httpx.Response(self.failure_status, text="upstream trouble")
        if request.method == "POST" and request.url.path == "/oauth/token":
            return self._token(request)
        if request.method == "GET" and request.url.path == "/userinfo":
            return self._userinfo(request)
        return httpx.Response(404, json={"error": "not_found"})

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return httpx.Response(
                401, json={"error": "access_denied", "error_description": "Unauthorized"}
            )
        if form.get("grant_type") != "authorization_code":
            return httpx.Response(
                403,
                json={
                    "error": "unsupported_grant_type",
                    "error_description": "Unsupported grant type",
                },
            )
        profile = self.codes.pop(form.get("code", ""), None)
        if profile is None:
            return httpx.Response(
                403,
                json={"error": "invalid_grant", "error_description": "Invalid authorization code"},
            )
        access_token = secrets.token_urlsafe(16)
        self._access_tokens[access_token] = profile
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
