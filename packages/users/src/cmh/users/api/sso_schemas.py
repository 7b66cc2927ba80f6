"""Bodies of the single sign-on routes (``/api/v1/auth/sso``)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from cmh.kernel.web.problem_schema import Problem
from cmh.users.domain.pkce import CHALLENGE_PATTERN, VERIFIER_PATTERN

RedirectUri = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=2048,
        pattern=r"^https?://",
        description="One of the deployment's registered redirect URIs, exactly "
        "(`CMH_USERS__SSO__REDIRECT_URIS`); any other is 422 `redirect_uri_not_registered`.",
    ),
]
OneTimeSecret = Annotated[str, Meta(min_length=1, max_length=512)]


class SsoStartRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    redirect_uri: RedirectUri
    code_challenge: Annotated[
        str,
        Meta(
            pattern=CHALLENGE_PATTERN,
            description="BASE64URL(SHA-256(code_verifier)), unpadded (RFC 7636 S256); keep "
            "the verifier for the callback.",
        ),
    ]
    code_challenge_method: Literal["S256"] = "S256"


class SsoCallbackRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=2048)]
    state: OneTimeSecret
    code_verifier: Annotated[
        str,
        Meta(pattern=VERIFIER_PATTERN, description="The PKCE verifier of the start's challenge."),
    ]


class SsoLinkRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    link_token: OneTimeSecret
    password: Annotated[str, Meta(min_length=1, max_length=256)]


class SsoLinkRequiredProblem(Problem, frozen=True, kw_only=True):
    """409 ``sso_link_required``: an account already uses the identity's address. Its owner
    confirms the link with ``POST /api/v1/auth/sso/link`` {link_token, password}."""

    link_token: str
    expires_in: int
