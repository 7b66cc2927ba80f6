"""Content's HTTP routes: public + internal (``CONTENT_ROUTES``) and the embedded
profile's signed media server (``MEDIA_ROUTES``)."""

from __future__ import annotations

from cmh.content.api.assets import AssetController
from cmh.content.api.internal import InternalPlaybackController
from cmh.content.api.internal_attachments import InternalAttachmentController
from cmh.content.api.media import MediaController

CONTENT_ROUTES = [AssetController, InternalPlaybackController, InternalAttachmentController]
MEDIA_ROUTES = [MediaController]

__all__ = ["CONTENT_ROUTES", "MEDIA_ROUTES"]
