"""The Content context's settings."""

from __future__ import annotations

import msgspec

from cmh.content.adapters.pyav.transcoder import TranscodeLimits


class ContentSettings(msgspec.Struct, frozen=True):
    """``CMH_CONTENT__<FIELD>`` when nested as ``content`` in an app's settings."""

    mongo_url: str = "mongodb://127.0.0.1:27017/"
    mongo_db: str = "cmh_content"
    s3_bucket: str = "cmh-content"
    s3_region: str = "us-east-1"
    s3_endpoint_url: str = ""  # moto / MinIO; empty = AWS
    cloudfront_domain: str = ""
    cloudfront_key_pair_id: str = ""
    cloudfront_private_key_pem: str = ""
    local_media_dir: str = "./.data/media"
    # Empty: a random secret per process (URLs die with a restart; fine for one process).
    local_signing_secret: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    upload_ttl_seconds: int = 900
    playback_ttl_seconds: int = 300
    # In-process transcoding (PyAV): larger or longer uploads fail instead of being encoded.
    transcode_max_source_mb: int = 512
    transcode_max_duration_seconds: int = 2 * 60 * 60
    transcode_preset: str = "veryfast"  # libx264: ultrafast ... veryslow

    def transcode_limits(self) -> TranscodeLimits:
        return TranscodeLimits(
            max_source_bytes=self.transcode_max_source_mb * 1024 * 1024,
            max_duration_seconds=float(self.transcode_max_duration_seconds),
            preset=self.transcode_preset,
        )
