"""Which secrets store the platform reads (``CMH_SECRETS__...``).

CMH_SECRETS__BACKEND                 environment (variables and ``*_FILE`` files) | vault
CMH_SECRETS__VAULT__URL              https://vault.example:8200
CMH_SECRETS__VAULT__TOKEN            the app's Vault token (or __TOKEN_FILE: a mounted file)
CMH_SECRETS__VAULT__CA_FILE          the CA that signed Vault's certificate; empty = the system's
CMH_SECRETS__VAULT__KV_MOUNT / __KV_PREFIX       secret / cmh: ``group/key`` is the field
                                     ``key`` of ``<kv_mount>/data/<kv_prefix>/<group>``
CMH_SECRETS__VAULT__DATABASE_MOUNT   database (the database secrets engine's mount)
CMH_SECRETS__VAULT__DATABASE_ROLE    its role for this app; empty = the URL's own credentials
"""

from __future__ import annotations

from pathlib import Path

import msgspec


class VaultSettings(msgspec.Struct, frozen=True):
    url: str = "http://127.0.0.1:8200"
    token: str = ""
    token_file: str = ""
    ca_file: str = ""
    kv_mount: str = "secret"
    kv_prefix: str = "cmh"
    database_mount: str = "database"
    database_role: str = ""
    timeout_seconds: float = 5.0

    def resolved_token(self) -> str:
        if self.token:
            return self.token
        if self.token_file:
            return Path(self.token_file).read_text().strip()
        return ""


class SecretsSettings(msgspec.Struct, frozen=True):
    backend: str = "environment"
    vault: VaultSettings = VaultSettings()

    def __post_init__(self) -> None:
        if self.backend not in {"environment", "vault"}:
            raise ValueError("CMH_SECRETS__BACKEND must be `environment` or `vault`")
