"""The verified caller, handed from the gateway to a service in two headers: compact JSON
and its HMAC-SHA256 under a secret both share. A service trusts it only when the
signature matches, so a client cannot forge one by sending the header itself."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

import msgspec

from cmh.kernel.auth.constant_time import constant_time_equals
from cmh.kernel.auth.principal import Principal

PRINCIPAL_HEADER = "x-cmh-principal"
SIGNATURE_HEADER = "x-cmh-principal-signature"


class _Claims(msgspec.Struct, frozen=True):
    sub: str
    roles: list[str]
    tier: str
    jti: str


def _signature(payload: str, secret: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def forwarded_principal_headers(principal: Principal, secret: str) -> dict[str, str]:
    claims = _Claims(
        sub=principal.user_id,
        roles=sorted(principal.roles),
        tier=principal.tier,
        jti=principal.token_id,
    )
    payload = msgspec.json.encode(claims).decode()
    return {PRINCIPAL_HEADER: payload, SIGNATURE_HEADER: _signature(payload, secret)}


def verify_forwarded_principal(headers: Mapping[str, str], secret: str) -> Principal | None:
    if not secret:
        return None
    payload = headers.get(PRINCIPAL_HEADER)
    signature = headers.get(SIGNATURE_HEADER)
    if not payload or not signature:
        return None
    if not constant_time_equals(_signature(payload, secret), signature):
        return None
    try:
        claims = msgspec.json.decode(payload, type=_Claims)
    except msgspec.DecodeError:
        return None
    return Principal(
        user_id=claims.sub, roles=frozenset(claims.roles), tier=claims.tier, token_id=claims.jti
    )
