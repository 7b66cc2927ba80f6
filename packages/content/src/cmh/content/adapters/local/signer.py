"""HMAC-signed, expiring URLs for the embedded profile's ``/media`` route.

The signature covers the method, the key and the expiry, so a download URL cannot be
turned into an upload URL, pointed at another file, or extended.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote

from cmh.kernel.auth.constant_time import constant_time_equals
from cmh.kernel.errors import Forbidden

MEDIA_PATH = "/media"


class LocalUrlSigner:
    def __init__(self, secret: bytes, base_url: str) -> None:
        if len(secret) < 16:
            raise ValueError("the media signing secret must have at least 16 bytes")
        self._secret = secret
        self._base_url = base_url.rstrip("/")

    def _signature(self, method: str, key: str, expires: int | str) -> str:
        message = f"{method}\n{key}\n{expires}".encode("utf-8", "surrogatepass")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def _url(self, method: str, key: str, expires_at: datetime) -> str:
        expires = int(expires_at.timestamp())
        signature = self._signature(method, key, expires)
        return f"{self._base_url}{MEDIA_PATH}/{quote(key)}?expires={expires}&signature={signature}"

    def sign(self, key: str, *, expires_at: datetime) -> str:
        return self._url("GET", key, expires_at)

    def sign_upload(self, key: str, *, expires_at: datetime) -> str:
        return self._url("PUT", key, expires_at)

    def verify(self, method: str, key: str, *, expires: str, signature: str, now: datetime) -> int:
        """The URL's expiry (epoch seconds); raises Forbidden when the signature does not
        match or the URL has expired. ``expires`` is the query's raw text: the signature
        covers exactly what ``sign`` wrote, so anything else there (``abc``) is tampering."""
        method = "GET" if method == "HEAD" else method
        if not expires.isascii() or not constant_time_equals(
            self._signature(method, key, expires), signature
        ):
            raise Forbidden("the media URL signature is not valid", code="media_signature_invalid")
        expiry = int(expires)  # we wrote it: ASCII digits
        if now.timestamp() >= expiry:
            raise Forbidden("the media URL has expired", code="media_url_expired")
        return expiry
