"""The JWT attack set: tokens a verifier must refuse, forged the ways attackers forge them.

``forged_access_tokens`` knows the real signing key (so a refusal is about the claim or the
header under attack, not a bad signature) and the ``sub`` of a real user; the caller adds
what only a running platform has (a refresh token, a token of an erased account)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization

from cmh.kernel.auth.tokens import ALGORITHM, SigningKey, TokenSettings, public_jwk

EVIL = "https://attacker.example"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _part(data: dict[str, Any]) -> str:
    return _b64(json.dumps(data, separators=(",", ":")).encode())


def claims(settings: TokenSettings, sub: str, now: datetime, **changes: Any) -> dict[str, Any]:
    issued = int(now.timestamp())
    return {
        "iss": settings.issuer,
        "aud": settings.audience,
        "sub": sub,
        "roles": ["learner", "admin"],
        "tier": "pro",
        "jti": f"forged-{issued}",
        "iat": issued,
        "nbf": issued,
        "exp": issued + settings.access_ttl_seconds,
        **changes,
    }


def sign(key: SigningKey, payload: dict[str, Any], **headers: Any) -> str:
    return jwt.encode(
        payload, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid, **headers}
    )


def forged_access_tokens(
    key: SigningKey, settings: TokenSettings, sub: str, now: datetime
) -> dict[str, str]:
    """Attack name -> token. Every one must be answered 401."""
    good = claims(settings, sub, now)
    attacker = SigningKey.generate()
    attacker_jwk = public_jwk(attacker.private_key.public_key())
    public_pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    hs_input = f"{_part({'alg': 'HS256', 'typ': 'JWT', 'kid': key.kid})}.{_part(good)}"
    hs_signature = _b64(hmac.new(public_pem, hs_input.encode(), hashlib.sha256).digest())
    leeway = timedelta(seconds=settings.leeway_seconds + 60)
    past = now - timedelta(seconds=settings.access_ttl_seconds) - leeway  # expired by a minute
    return {
        "alg none": f"{_part({'alg': 'none', 'typ': 'JWT', 'kid': key.kid})}.{_part(good)}.",
        "HS256 keyed with the public key": f"{hs_input}.{hs_signature}",
        "expired": sign(key, claims(settings, sub, past)),
        "not yet valid": sign(key, claims(settings, sub, now, nbf=int((now + leeway).timestamp()))),
        "wrong audience": sign(key, {**good, "aud": "another-app"}),
        "wrong issuer": sign(key, {**good, "iss": f"{EVIL}/users"}),
        "unknown kid": sign(attacker, good),
        "jku to the attacker's keys": sign(attacker, good, jku=f"{EVIL}/jwks.json"),
        "x5u to the attacker's chain": sign(attacker, good, x5u=f"{EVIL}/chain.pem"),
        "jwk header with the attacker's key": sign(attacker, good, jwk=attacker_jwk),
        "jwk header, the real kid": jwt.encode(
            good,
            attacker.private_key,
            algorithm=ALGORITHM,
            headers={"kid": key.kid, "jwk": attacker_jwk},
        ),
        "payload swapped under a real signature": ".".join(
            [
                sign(key, claims(settings, sub, now, roles=["learner"])).split(".")[0],
                _part(good),
                sign(key, claims(settings, sub, now, roles=["learner"])).split(".")[2],
            ]
        ),
    }
