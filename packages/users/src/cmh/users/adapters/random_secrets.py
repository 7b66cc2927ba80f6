from __future__ import annotations

import secrets

SECRET_BYTES = 32


class UrlSafeSecrets:
    """256 bits from the operating system's CSPRNG, base64url encoded."""

    def new_secret(self) -> str:
        return secrets.token_urlsafe(SECRET_BYTES)
