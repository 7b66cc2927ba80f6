"""A stand-in identity provider for the embedded profile ONLY: the "code" is
``local:<email>`` and signs that address in as verified, with no password. Never wire
it in the distributed profile: anyone could log in as anyone."""

from __future__ import annotations

from cmh.kernel.errors import Unauthenticated
from cmh.users.application.ports import ExternalIdentity

CODE_PREFIX = "local:"


class LocalIdentityProvider:
    provider = "local"

    async def exchange_code(self, *, code: str, redirect_uri: str) -> ExternalIdentity:
        if not code.startswith(CODE_PREFIX) or "@" not in code:
            raise Unauthenticated("use a code of the form local:<email>", code="sso_code_invalid")
        email = code.removeprefix(CODE_PREFIX).strip()
        return ExternalIdentity(
            provider=self.provider,
            subject=f"local|{email.lower()}",
            email=email,
            email_verified=True,
            name=email.split("@", 1)[0],
        )
