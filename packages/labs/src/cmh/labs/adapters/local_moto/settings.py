"""Settings of the embedded profile's moto server (``CMH_LABS__MOTO__*``)."""

from __future__ import annotations

import msgspec


class EmbeddedMotoSettings(msgspec.Struct, frozen=True):
    # Loopback only: the server takes any request its IAM policies allow.
    host: str = "127.0.0.1"
    # 0: a free port the system picks at start.
    port: int = 0
    region: str = "us-east-1"
