"""Who is calling: the caller's address as the server resolved it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def client_address(scope: Mapping[str, Any]) -> str:
    """The caller's IP address as the server resolved it."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"
