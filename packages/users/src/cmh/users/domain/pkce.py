"""PKCE (RFC 7636): the client keeps a random ``code_verifier`` and sends only its S256
``code_challenge`` when the flow starts; whoever redeems the authorization code must
show the verifier. A code intercepted on its way back is worthless without it."""

from __future__ import annotations

import base64
import hashlib
import re

# 43 to 128 characters of the unreserved set (RFC 7636 section 4.1).
VERIFIER_PATTERN = r"^[A-Za-z0-9._~-]{43,128}$"
# BASE64URL(SHA256(verifier)) without padding: always 43 characters.
CHALLENGE_PATTERN = r"^[A-Za-z0-9_-]{43}$"

_VERIFIER = re.compile(VERIFIER_PATTERN)


def s256_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verifier_matches(verifier: str, challenge: str) -> bool:
    return bool(_VERIFIER.fullmatch(verifier)) and s256_challenge(verifier) == challenge
