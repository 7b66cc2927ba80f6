"""The ``CredentialsVault`` port with AES-256-GCM from ``cryptography``.

A sealed value is a version byte, a random 96-bit nonce and the ciphertext of the
credentials (JSON), authenticated together with the session id: a value copied to another
session, altered, or sealed under another key does not open.
"""

from __future__ import annotations

import base64
import binascii
import os
from datetime import datetime

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cmh.kernel.errors import InvalidInput
from cmh.kernel.module import Profile
from cmh.kernel.settings import SettingsError
from cmh.labs.adapters.crypto.settings import VaultSettings
from cmh.labs.application.ports import LabCredentials

KEY_VARIABLE = "CMH_LABS__VAULT__KEY"
KEY_BYTES = 32
_VERSION = b"\x01"
_NONCE_BYTES = 12
_SEALED = "credentials_sealed"


class _Plain(msgspec.Struct, frozen=True):
    access_key_id: str
    secret_access_key: str
    session_token: str
    expires_at: datetime


class AesGcmCredentialsVault:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"the vault key is {KEY_BYTES} bytes, not {len(key)}")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "AesGcmCredentialsVault(key=<hidden>)"

    __str__ = __repr__

    @staticmethod
    def _associated(session_id: str) -> bytes:
        return _VERSION + session_id.encode()

    async def seal(self, session_id: str, credentials: LabCredentials) -> bytes:
        plain = msgspec.json.encode(
            _Plain(
                credentials.access_key_id,
                credentials.secret_access_key,
                credentials.session_token,
                credentials.expires_at,
            )
        )
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plain, self._associated(session_id))

    async def open(self, session_id: str, sealed: bytes) -> LabCredentials:
        version, nonce = sealed[:1], sealed[1 : 1 + _NONCE_BYTES]
        if version != _VERSION or len(nonce) != _NONCE_BYTES:
            raise InvalidInput("these are not credentials this vault sealed", code=_SEALED)
        try:
            plain = self._aead.decrypt(
                nonce, sealed[1 + _NONCE_BYTES :], self._associated(session_id)
            )
        except InvalidTag:
            # Altered, sealed for another session or under another key: all look alike.
            raise InvalidInput(
                "the sealed credentials do not open for this session", code=_SEALED
            ) from None
        fields = msgspec.json.decode(plain, type=_Plain)
        return LabCredentials(
            access_key_id=fields.access_key_id,
            secret_access_key=fields.secret_access_key,
            session_token=fields.session_token,
            expires_at=fields.expires_at,
        )


def _decode_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise SettingsError(f"{KEY_VARIABLE} is not base64: {error}") from None
    if len(key) != KEY_BYTES:
        raise SettingsError(f"{KEY_VARIABLE} holds {len(key)} bytes; it needs {KEY_BYTES}")
    return key


def credentials_vault(settings: VaultSettings, profile: Profile) -> AesGcmCredentialsVault:
    """The vault with the configured key. Without one, the memory and embedded profiles
    make a key of their own (sealed credentials then open only in this process); every
    other profile refuses to start."""
    if settings.key:
        return AesGcmCredentialsVault(_decode_key(settings.key))
    if profile in (Profile.MEMORY, Profile.EMBEDDED):
        return AesGcmCredentialsVault(AESGCM.generate_key(bit_length=KEY_BYTES * 8))
    raise SettingsError(
        f"{KEY_VARIABLE} is missing: the {profile} profile keeps learner credentials "
        "only encrypted, under a key it is given (32 random bytes in base64)"
    )
