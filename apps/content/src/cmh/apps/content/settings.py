"""Settings of the distributed Content service (``CMH_...`` environment variables).

``CMH_CONTENT_STORAGE`` picks the storage family in the composition root: ``local`` (files
under ``CMH_CONTENT__LOCAL_MEDIA_DIR``, HMAC-signed URLs served by this service's /media
routes) or ``s3`` (S3 presigned uploads, CloudFront signed playback URLs)."""

from __future__ import annotations

from typing import Literal

import msgspec

from cmh.content.settings import ContentSettings
from cmh.kernel.auth.revocation import TokenStampSettings
from cmh.kernel.auth.tokens import TokenSettings
from cmh.kernel.settings import HttpSettings, KafkaSettings, SettingsError, load_settings

JWKS_PATH = "/api/v1/auth/jwks"


class ContentServiceSettings(msgspec.Struct, frozen=True):
    content: ContentSettings = ContentSettings(
        mongo_db="cmh_content", public_base_url="http://127.0.0.1:8103"
    )
    content_storage: Literal["local", "s3"] = "local"
    kafka: KafkaSettings = KafkaSettings(client_id="cmh-content")
    http: HttpSettings = HttpSettings(port=8103)
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


def load_content_settings() -> ContentServiceSettings:
    settings = load_settings(ContentServiceSettings)
    c = settings.content
    if settings.content_storage == "s3":
        missing = [
            name
            for name, value in (
                ("CMH_CONTENT__CLOUDFRONT_DOMAIN", c.cloudfront_domain),
                ("CMH_CONTENT__CLOUDFRONT_KEY_PAIR_ID", c.cloudfront_key_pair_id),
                ("CMH_CONTENT__CLOUDFRONT_PRIVATE_KEY_PEM", c.cloudfront_private_key_pem),
            )
            if not value
        ]
        if missing:
            raise SettingsError(
                f"CMH_CONTENT_STORAGE=s3 needs {', '.join(missing)} (or CMH_CONTENT_STORAGE=local)"
            )
    elif not c.local_signing_secret:
        # The API signs media URLs and must verify them after a restart (and across
        # replicas): a per-process random secret would silently break that.
        raise SettingsError(
            "CMH_CONTENT_STORAGE=local needs CMH_CONTENT__LOCAL_SIGNING_SECRET "
            "(e.g. `openssl rand -hex 32`)"
        )
    return settings
