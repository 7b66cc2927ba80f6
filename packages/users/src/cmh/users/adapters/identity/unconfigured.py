"""The ``IdentityProvider`` of a deployment without single sign-on settings: every
attempt is a clear 503 ``sso_not_configured``, not a crash."""

from __future__ import annotations

from cmh.kernel.errors import DependencyUnavailable
from cmh.users.application.ports import ExternalIdentity


def _unavailable() -> DependencyUnavailable:
    return DependencyUnavailable("single sign-on is not configured here", code="sso_not_configured")


class UnconfiguredIdentityProvider:
    provider = "none"

    def authorization_url(self, *, redirect_uri: str, state: str, code_challenge: str) -> str:
        raise _unavailable()

    async def exchange_code(
        self, *, code: str, redirect_uri: str, code_verifier: str
    ) -> ExternalIdentity:
        raise _unavailable()
