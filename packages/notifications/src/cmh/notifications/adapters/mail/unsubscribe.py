"""One-click unsubscribe links that work without signing in: the token names the user and
the category and carries an HMAC-SHA256 under the platform's key, so a token changed by
anyone who does not hold the key is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import quote

from cmh.kernel.settings import SettingsError
from cmh.notifications.domain.channels import Category
from cmh.notifications.domain.errors import InvalidUnsubscribeToken

UNSUBSCRIBE_PATH = "/api/v1/notifications/unsubscribe"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class HmacUnsubscribeLinks:
    def __init__(self, key: bytes, public_url: str) -> None:
        if len(key) < KEY_BYTES:
            raise ValueError(f"the unsubscribe key must be at least {KEY_BYTES} bytes")
        self._key = key
        self._public_url = public_url.rstrip("/")

    def _signature(self, payload: bytes) -> bytes:
        return hmac.new(self._key, b"unsubscribe\n" + payload, hashlib.sha256).digest()

    def token_for(self, user_id: str, category: Category) -> str:
        payload = f"{user_id}\n{category}".encode()
        return f"{_b64(payload)}.{_b64(self._signature(payload))}"

    def read(self, token: str) -> tuple[str, Category]:
        try:
            encoded, signature = token.split(".", 1)
            payload = _unb64(encoded)
            valid = hmac.compare_digest(_unb64(signature), self._signature(payload))
            user_id, category = payload.decode().split("\n", 1)
            if not valid:
                raise InvalidUnsubscribeToken()
            return user_id, Category(category)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidUnsubscribeToken() from exc

    def url_for(self, user_id: str, category: Category) -> str:
        token = quote(self.token_for(user_id, category), safe="")
        return f"{self._public_url}{UNSUBSCRIBE_PATH}?token={token}"


KEY_VARIABLE = "CMH_NOTIFICATIONS__UNSUBSCRIBE_KEY"
KEY_BYTES = 32


def unsubscribe_key(configured: str | None, *, required: bool) -> bytes:
    """The configured key (base64, 32 bytes or more). Without one, a key of this process
    unless ``required`` (the distributed profile refuses to start: links must work on
    every instance and after a restart)."""
    if configured:
        try:
            key = base64.b64decode(configured.strip(), altchars=b"-_", validate=True)
        except ValueError as error:
            raise SettingsError(f"{KEY_VARIABLE} is not base64: {error}") from None
        if len(key) < KEY_BYTES:
            raise SettingsError(f"{KEY_VARIABLE} holds {len(key)} bytes; it needs {KEY_BYTES}")
        return key
    if required:
        raise SettingsError(
            f"{KEY_VARIABLE} is missing: unsubscribe links are signed with a key every "
            "instance shares (32 random bytes or more, in base64)"
        )
    return secrets.token_bytes(KEY_BYTES)
