"""The embedded profile's stand-in identity provider: it behaves like a real one, so the
platform's single sign-on is exercised as it will be with Auth0.

* Its own authorize step with its own credentials: a sign-in page listing a fixed set of
  stand-in identities (``STAND_IN_IDENTITIES``), none of them a platform account's
  address; one of them has an unverified address, to show that it is turned away.
* OAuth 2.0 authorization code flow: ``response_type=code``, its one client id, the
  ``redirect_uri`` compared exactly with the registered ones, ``state`` echoed back, PKCE
  with ``S256`` required.
* Codes are single use and live ``code_ttl_seconds`` on the injected clock; redeeming one
  needs the same ``redirect_uri`` and the verifier of its challenge.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from cmh.kernel.clock import Clock
from cmh.kernel.errors import InvalidInput, Unauthenticated
from cmh.users.application.ports import ExternalIdentity
from cmh.users.domain.pkce import CHALLENGE_PATTERN, verifier_matches
from cmh.users.domain.tokens import digest

CLIENT_ID = "cloudmastershub"
AUTHORIZE_PATH = "/local-idp/authorize"
PROVIDER = "local"
_CHALLENGE = re.compile(CHALLENGE_PATTERN)


@dataclass(frozen=True, slots=True)
class StandInIdentity:
    username: str
    password: str
    email: str
    email_verified: bool
    name: str

    @property
    def subject(self) -> str:
        return f"{PROVIDER}|{self.username}"


# The stand-in provider's people: example.net (RFC 2606) is nobody's mailbox, so none of
# them can be a real account's address.
STAND_IN_IDENTITIES = (
    StandInIdentity("sam", "sso-the-cloud-42", "sam@sso.example.net", True, "Sam Sso"),
    StandInIdentity("una", "sso-the-cloud-42", "una@sso.example.net", False, "Una Unverified"),
)


class AuthorizeRefused(InvalidInput):
    """An authorize request this provider will not serve (never redirected: the
    redirect URI itself may be the problem)."""

    code = "invalid_request"


@dataclass(frozen=True, slots=True)
class AuthorizeRequest:
    redirect_uri: str
    state: str
    code_challenge: str

    def hidden_fields(self) -> dict[str, str]:
        return {
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": self.redirect_uri,
            "state": self.state,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }


@dataclass(frozen=True, slots=True)
class _IssuedCode:
    identity: StandInIdentity
    redirect_uri: str
    code_challenge: str
    expires_at: datetime


class LocalIdentityServer:
    def __init__(
        self,
        *,
        redirect_uris: Sequence[str],
        clock: Clock,
        code_ttl: timedelta,
        identities: Sequence[StandInIdentity] = STAND_IN_IDENTITIES,
    ) -> None:
        self._redirect_uris = frozenset(redirect_uris)
        self._clock = clock
        self._code_ttl = code_ttl
        self.identities = tuple(identities)
        self._codes: dict[str, _IssuedCode] = {}  # by digest: single use, short-lived

    def authorize_request(self, params: Mapping[str, str]) -> AuthorizeRequest:
        def refuse(detail: str, field: str) -> AuthorizeRefused:
            return AuthorizeRefused(detail, field=field)

        if params.get("client_id") != CLIENT_ID:
            raise refuse("unknown client", "client_id")
        if params.get("redirect_uri", "") not in self._redirect_uris:
            raise refuse("this redirect_uri is not registered", "redirect_uri")
        if params.get("response_type") != "code":
            raise refuse("only response_type=code is supported", "response_type")
        if params.get("code_challenge_method") != "S256":
            raise refuse("PKCE with code_challenge_method=S256 is required", "code_challenge")
        if not _CHALLENGE.fullmatch(params.get("code_challenge", "")):
            raise refuse("code_challenge must be a S256 challenge", "code_challenge")
        state = params.get("state", "")
        if not 8 <= len(state) <= 512:
            raise refuse("state is required", "state")
        return AuthorizeRequest(params["redirect_uri"], state, params["code_challenge"])

    def sign_in(self, request: AuthorizeRequest, username: str, password: str) -> str:
        """The redirect back to the client, with a fresh code; raises ``Unauthenticated``
        for wrong stand-in credentials."""
        identity = next((i for i in self.identities if i.username == username), None)
        expected = identity.password if identity is not None else secrets.token_hex(16)
        if not hmac.compare_digest(expected.encode(), password.encode()) or identity is None:
            raise Unauthenticated("wrong username or password", code="invalid_credentials")
        now = self._clock.now()
        self._forget_expired(now)
        code = secrets.token_urlsafe(32)
        self._codes[digest(code)] = _IssuedCode(
            identity, request.redirect_uri, request.code_challenge, now + self._code_ttl
        )
        separator = "&" if "?" in request.redirect_uri else "?"
        return request.redirect_uri + separator + urlencode({"code": code, "state": request.state})

    def redeem(self, code: str, *, redirect_uri: str, code_verifier: str) -> ExternalIdentity:
        issued = self._codes.pop(digest(code), None)  # tried once, gone
        if (
            issued is None
            or self._clock.now() >= issued.expires_at
            or issued.redirect_uri != redirect_uri
            or not verifier_matches(code_verifier, issued.code_challenge)
        ):
            raise Unauthenticated(
                "the sign-in code was refused; sign in again", code="sso_code_invalid"
            )
        identity = issued.identity
        return ExternalIdentity(
            provider=PROVIDER,
            subject=identity.subject,
            email=identity.email,
            email_verified=identity.email_verified,
            name=identity.name,
        )

    def _forget_expired(self, now: datetime) -> None:
        for key in [k for k, issued in self._codes.items() if issued.expires_at <= now]:
            del self._codes[key]
