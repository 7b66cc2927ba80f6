"""The embedded profile keeps its token signing key in the data folder, so restarting
`make run` does not log everybody out. The distributed profile takes the key from the
environment (TokenSettings) and never writes one."""

from __future__ import annotations

from pathlib import Path

import msgspec
from cryptography.hazmat.primitives import serialization

from cmh.kernel.auth.tokens import SigningKey, TokenSettings


def local_token_settings(settings: TokenSettings, data_dir: Path) -> TokenSettings:
    if settings.private_key_pem or settings.private_key_file:
        return settings
    path = data_dir / "dev-signing-key.pem"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        pem = SigningKey.generate().private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    return msgspec.structs.replace(settings, private_key_file=str(path))
