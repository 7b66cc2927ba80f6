"""Credentials signed with Ed25519 as a W3C Data Integrity proof, cryptosuite
``eddsa-jcs-2022``: the proof options and the credential are each canonicalised as JSON
(sorted keys, no spaces: the JCS form of what credentials hold: strings, integers,
booleans, lists and objects), hashed with SHA-256, and the two hashes signed; the proof
value is multibase base58btc. Keys are identified by ``kid`` (a hash of the public key)
and published as JWKs (OKP, Ed25519)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cmh.assessments.adapters.crypto.settings import CredentialKeySettings
from cmh.kernel.errors import DependencyUnavailable

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, rest = divmod(number, 58)
        encoded = _B58[rest] + encoded
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + encoded


def from_base58btc(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_jwk(public: Ed25519PublicKey) -> dict[str, str]:
    raw = _raw(public)
    kid = _b64url(hashlib.sha256(raw).digest())[:22]
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw), "kid": kid, "alg": "EdDSA"}


def load_private_key(settings: CredentialKeySettings, *, create: bool) -> Ed25519PrivateKey:
    """The configured key, or the key file's (made when missing if ``create``)."""
    pem = settings.private_key_pem.encode()
    if not pem and settings.key_file:
        path = Path(settings.key_file)
        if path.exists():
            pem = path.read_bytes()
        elif create:
            made = Ed25519PrivateKey.generate()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(
                made.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            path.chmod(0o600)
            return made
    if not pem:
        if create:
            return Ed25519PrivateKey.generate()
        raise DependencyUnavailable("no credential signing key is configured")
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise DependencyUnavailable("the credential signing key is not an Ed25519 key")
    return key


class Ed25519CredentialSigner:
    def __init__(
        self, key: Ed25519PrivateKey, *, issuer_url: str, retired: list[dict[str, str]], now: Any
    ) -> None:
        self._key = key
        self._jwk = public_jwk(key.public_key())
        self._issuer = issuer_url.rstrip("/")
        self._now = now
        self._published = {self._jwk["kid"]: {**self._jwk, "use": "sig"}}
        for jwk in retired:
            self._published.setdefault(jwk["kid"], {**jwk, "use": "sig", "status": "retired"})

    @property
    def kid(self) -> str:
        return self._jwk["kid"]

    def public_keys(self) -> list[dict[str, Any]]:
        return [dict(jwk) for jwk in self._published.values()]

    def _method(self, kid: str) -> str:
        return f"{self._issuer}/api/v1/certificates/keys#{kid}"

    def sign(self, credential: dict[str, Any]) -> dict[str, Any]:
        created: datetime = self._now()
        options = {
            "@context": credential.get("@context"),
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-jcs-2022",
            "created": created.isoformat(),
            "verificationMethod": self._method(self.kid),
            "proofPurpose": "assertionMethod",
        }
        signature = self._key.sign(_hash_data(options, credential))
        signed = copy.deepcopy(credential)
        proof = {key: value for key, value in options.items() if key != "@context"}
        signed["proof"] = {**proof, "proofValue": "z" + base58btc(signature)}
        return signed

    def verify(self, credential: dict[str, Any]) -> bool:
        proof = credential.get("proof")
        if not isinstance(proof, dict) or proof.get("cryptosuite") != "eddsa-jcs-2022":
            return False
        method = str(proof.get("verificationMethod", ""))
        jwk = self._published.get(method.rpartition("#")[2])
        value = str(proof.get("proofValue", ""))
        if jwk is None or not value.startswith("z") or method != self._method(jwk["kid"]):
            return False
        unsecured = {key: val for key, val in credential.items() if key != "proof"}
        options = {key: val for key, val in proof.items() if key != "proofValue"}
        options["@context"] = credential.get("@context")
        public = Ed25519PublicKey.from_public_bytes(_unb64url(jwk["x"]))
        try:
            public.verify(from_base58btc(value[1:]), _hash_data(options, unsecured))
        except (InvalidSignature, ValueError):
            return False
        return True


def _hash_data(options: dict[str, Any], document: dict[str, Any]) -> bytes:
    return (
        hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(document)).digest()
    )
