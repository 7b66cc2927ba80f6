"""Opaque tokens handed to clients (refresh, email verification, password reset):
only their SHA-256 digest is stored, so a leaked table cannot be replayed."""

from __future__ import annotations

import hashlib


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
