"""Settings of the distributed Forum service (``CMH_...`` environment variables).

The defaults are the local distributed profile: FerretDB database ``cmh_forum``, courses on
:8102, the users service's JWKS, the API on :8109 (the worker's health on :9109)."""

from __future__ import annotations

import msgspec

from cmh.forum.settings import ForumSearchSettings, ForumSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.settings import HttpSettings, KafkaSettings, load_settings

JWKS_PATH = "/api/v1/auth/jwks"


class ForumServiceSettings(msgspec.Struct, frozen=True):
    forum: ForumSettings = ForumSettings(search=ForumSearchSettings(engine="elasticsearch"))
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-forum")
    http: HttpSettings = HttpSettings(port=8109)
    # Issuer and audience the access tokens must carry; no private key here.
    tokens: TokenSettings = TokenSettings()
    users_url: str = "http://127.0.0.1:8101"
    # Empty: the users service's JWKS at ``users_url`` + /api/v1/auth/jwks.
    jwks_url: str = ""
    # The users service's Redis, where disabling or erasing an account stamps its tokens void.
    token_stamps: TokenStampSettings = TokenStampSettings()
    log_level: str = "INFO"

    @property
    def resolved_jwks_url(self) -> str:
        return self.jwks_url or self.users_url.rstrip("/") + JWKS_PATH


def load_forum_settings() -> ForumServiceSettings:
    return load_settings(ForumServiceSettings)
