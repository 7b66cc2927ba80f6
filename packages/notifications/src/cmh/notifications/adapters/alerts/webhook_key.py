"""The alert webhook's shared bearer secret (``CMH_NOTIFICATIONS__ALERTS_WEBHOOK_SECRET``;
Alertmanager reads the same secret from its ``credentials_file``)."""

from __future__ import annotations

import hmac

from cmh.kernel.errors import NotFound, Unauthenticated

# Shorter secrets are refused at start: the webhook turns alerts into admin mail.
MIN_SECRET_LENGTH = 32


class SharedSecretAlertKey:
    def __init__(self, secret: str | None) -> None:
        if secret is not None and len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"the alert webhook secret needs {MIN_SECRET_LENGTH} characters or more"
            )
        self._secret = secret.encode() if secret else None

    def verify(self, presented: str) -> None:
        if self._secret is None:
            raise NotFound("no alert webhook is configured", code="webhook_not_configured")
        # Constant time: how far a guess matched must not show in the answer's timing.
        if not presented or not hmac.compare_digest(presented.encode(), self._secret):
            raise Unauthenticated("the alert webhook's bearer secret is missing or wrong")
