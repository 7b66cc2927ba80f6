"""Access tokens: Ed25519-signed JWTs (EdDSA), short-lived, published as a JWKS.

Verification pins the algorithm, issuer and audience, so ``alg: none``, HS256 made with
the public key, foreign issuers and tokens for another audience are all refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import jwt
import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import Unauthenticated

ALGORITHM = "EdDSA"


class TokenSettings(msgspec.Struct, frozen=True):
    issuer: str = "https://cloudmastershub.local/users"
    audience: str = "cloudmastershub"
    access_ttl_seconds: int = 900
    refresh_ttl_seconds: int = 1_209_600
    # PEM of an Ed25519 private key; the users service signs with it. Other services
    # only need the public JWKS. Empty means "generate one at start" (embedded profile).
    private_key_pem: str = ""
    private_key_file: str = ""
    leeway_seconds: int = 10
    # Key rotation: PEMs of Ed25519 public keys the users service publishes in its JWKS beside
    # the signing key (the next key, before it signs; the previous one, while tokens it signed
    # live). Removing one retires it.
    published_public_keys_pem: tuple[str, ...] = ()
    # Services and the gateway verify against the users service's JWKS: fetched again when a
    # token names an unknown key (at most once per ``jwks_min_refresh_seconds``, however many
    # unknown keys arrive) and at least every ``jwks_max_age_seconds`` (so a retired key stops
    # being accepted without a restart).
    jwks_min_refresh_seconds: float = 30.0
    jwks_max_age_seconds: float = 300.0


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    """The key as a JWK, ``kid`` its RFC 7638 thumbprint (shortened)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}
    thumbprint = json.dumps(jwk, separators=(",", ":"), sort_keys=True)
    kid = _b64url(hashlib.sha256(thumbprint.encode()).digest())[:16]
    return {**jwk, "kid": kid, "use": "sig", "alg": ALGORITHM}


class SigningKey:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        jwk = public_jwk(private_key.public_key())
        self.public_jwk: dict[str, str] = {k: jwk[k] for k in ("kty", "crv", "x")}
        self.kid = jwk["kid"]

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: str | bytes) -> SigningKey:
        key = serialization.load_pem_private_key(
            pem.encode() if isinstance(pem, str) else pem, None
        )
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the signing key must be an Ed25519 private key (PEM, PKCS#8)")
        return cls(key)

    @classmethod
    def from_settings(cls, settings: TokenSettings) -> SigningKey:
        if settings.private_key_pem:
            return cls.from_pem(settings.private_key_pem)
        if settings.private_key_file:
            with open(settings.private_key_file, "rb") as handle:
                return cls.from_pem(handle.read())
        return cls.generate()

    @property
    def private_key(self) -> Ed25519PrivateKey:
        return self._private

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [public_jwk(self._private.public_key())]}


class PublishedKeys:
    """What the users service publishes as its JWKS and verifies with: the signing key, then
    the other public keys of ``TokenSettings.published_public_keys_pem`` (rotation)."""

    def __init__(self, key: SigningKey, settings: TokenSettings) -> None:
        keys = [public_jwk(key.private_key.public_key())]
        for pem in settings.published_public_keys_pem:
            public = serialization.load_pem_public_key(pem.encode())
            if not isinstance(public, Ed25519PublicKey):
                raise ValueError("a published key must be an Ed25519 public key (PEM)")
            jwk = public_jwk(public)
            if all(jwk["kid"] != known["kid"] for known in keys):
                keys.append(jwk)
        self._jwks = {"keys": keys}

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [dict(jwk) for jwk in self._jwks["keys"]]}


class TokenIssuer:
    def __init__(self, key: SigningKey, settings: TokenSettings) -> None:
        self._key = key
        self._settings = settings

    @property
    def access_ttl(self) -> timedelta:
        return timedelta(seconds=self._settings.access_ttl_seconds)

    def issue_access(self, principal: Principal, *, now: datetime, token_id: str) -> str:
        claims = {
            "iss": self._settings.issuer,
            "aud": self._settings.audience,
            "sub": principal.user_id,
            "roles": sorted(principal.roles),
            "tier": principal.tier,
            "jti": token_id,
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int((now + self.access_ttl).timestamp()),
        }
        return jwt.encode(
            claims, self._key.private_key, algorithm=ALGORITHM, headers={"kid": self._key.kid}
        )


class TokenVerifier:
    """Verifies against a set of public keys by ``kid`` (a JWKS document)."""

    def __init__(self, jwks: Mapping[str, Any], settings: TokenSettings) -> None:
        self._settings = settings
        self._keys: dict[str, Ed25519PublicKey] = {}
        self.replace_keys(jwks)

    def replace_keys(self, jwks: Mapping[str, Any]) -> None:
        keys: dict[str, Ed25519PublicKey] = {}
        for jwk in jwks.get("keys", []):
            if not isinstance(jwk, Mapping) or (jwk.get("kty"), jwk.get("crv")) != (
                "OKP",
                "Ed25519",
            ):
                continue
            if jwk.get("use", "sig") != "sig" or jwk.get("alg", ALGORITHM) != ALGORITHM:
                continue
            x, kid = jwk.get("x"), jwk.get("kid")
            if not isinstance(x, str) or not isinstance(kid, str) or not kid:
                continue  # a malformed entry is skipped, never trusted
            try:
                raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
                keys[kid] = Ed25519PublicKey.from_public_bytes(raw)
            except ValueError:
                continue
        self._keys = keys

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def knows(self, kid: str) -> bool:
        return kid in self._keys

    @staticmethod
    def key_id(token: str) -> str:
        try:
            return str(jwt.get_unverified_header(token).get("kid", ""))
        except jwt.PyJWTError as exc:
            raise Unauthenticated("malformed access token", code="token_invalid") from exc

    def verify(self, token: str, *, now: datetime) -> Principal:
        kid = self.key_id(token)
        key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated("access token signed by an unknown key", code="token_invalid")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                leeway=self._settings.leeway_seconds,
                # Time claims are checked below against the injected clock, not the wall clock.
                options={
                    "require": ["exp", "iat", "sub", "aud", "iss", "jti"],
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"invalid access token: {exc}", code="token_invalid") from exc
        leeway = self._settings.leeway_seconds
        if not isinstance(claims["exp"], int) or claims["exp"] + leeway < now.timestamp():
            raise Unauthenticated("access token expired", code="token_expired")
        if int(claims.get("nbf", 0)) - leeway > now.timestamp():
            raise Unauthenticated("access token not valid yet", code="token_invalid")
        return Principal(
            user_id=str(claims["sub"]),
            roles=frozenset(claims.get("roles", [])),
            tier=str(claims.get("tier", "free")),
            token_id=str(claims["jti"]),
            expires_at=int(claims["exp"]),
            issued_at=int(claims["iat"]),
        )
