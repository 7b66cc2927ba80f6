"""A short-lived signed URL to play a ready video (internal: courses asks, after it has
checked that the learner is entitled to the lesson), only for a course the asset was
attached to by its owner or an admin."""

from __future__ import annotations

from cmh.content.application.common import LinkLifetimes, load_asset
from cmh.content.application.ports import AssetRepository, UrlSigner
from cmh.content.application.views import rendition_view
from cmh.content.domain.errors import AssetNotFound, AssetNotPlayable
from cmh.contracts.http.content import PlaybackResponse, SignedCaptionResponse
from cmh.kernel.clock import Clock
from cmh.kernel.errors import InvalidInput

# Rendition keys never change once written (a new upload is a new asset), so the CDN
# and browsers may keep the bytes for long; access is bounded by the URL's expiry instead.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


class PlaybackUrl:
    def __init__(
        self, assets: AssetRepository, signer: UrlSigner, clock: Clock, lifetimes: LinkLifetimes
    ) -> None:
        self._assets = assets
        self._signer = signer
        self._clock = clock
        self._ttl = lifetimes.playback

    async def execute(self, asset_id: str, *, user_id: str, course_id: str) -> PlaybackResponse:
        if not user_id.strip():
            raise InvalidInput("user_id is required", field="user_id")
        asset = await load_asset(self._assets, asset_id)
        if not asset.plays_in(course_id):
            # A lesson naming an asset nobody attached to its course: not disclosed.
            raise AssetNotFound(asset_id)
        if not asset.is_playable:
            raise AssetNotPlayable(
                f"asset {asset_id} is a {asset.kind} that is {asset.status}; "
                "only ready videos can be played"
            )
        expires_at = self._clock.now() + self._ttl
        rendition = asset.best_rendition()
        return PlaybackResponse(
            url=self._signer.sign(rendition.key, expires_at=expires_at),
            expires_at=expires_at,
            rendition=rendition_view(rendition),
            captions=[
                SignedCaptionResponse(
                    language=c.language, url=self._signer.sign(c.key, expires_at=expires_at)
                )
                for c in asset.captions
            ],
            media_cache_control=MEDIA_CACHE_CONTROL,
        )
