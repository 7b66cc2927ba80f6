"""Assessments' credential keys (``CMH_ASSESSMENTS__CREDENTIAL_KEYS__*``), apart from the
users service's access-token keys. ``private_key_pem``: the active Ed25519 key (PKCS#8
PEM); ``key_file``: where it is kept instead (made on first use when missing: the
embedded profile); ``retired``: the public JWKs of keys used before, published so what
they signed still verifies, never used to sign."""

from __future__ import annotations

import msgspec


class CredentialKeySettings(msgspec.Struct, frozen=True):
    private_key_pem: str = ""
    key_file: str = ""
    retired: list[dict[str, str]] = msgspec.field(default_factory=list)

    def __repr__(self) -> str:
        # The private key must never reach a log line or a traceback.
        pem = "<set>" if self.private_key_pem else None
        return (
            f"CredentialKeySettings(private_key_pem={pem}, key_file={self.key_file!r}, "
            f"retired={[jwk.get('kid') for jwk in self.retired]})"
        )

    __str__ = __repr__
