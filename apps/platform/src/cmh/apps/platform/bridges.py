"""In-process adapters between contexts, for the embedded profile only.

A context reaches another through a port it owns; in the distributed profile the adapter
is an HTTP client, here it calls the other context's application query in a fresh
request scope of the same container. Only a composition root may know both sides.
"""

from __future__ import annotations

from dishka import AsyncContainer

from cmh.content.application.attach_asset import AttachAsset
from cmh.content.application.playback_url import PlaybackUrl as ContentPlaybackUrl
from cmh.courses.application.ports import AttachedAsset, LearnerEntitlements, PlaybackUrl
from cmh.kernel.auth.principal import Principal
from cmh.users.application.get_entitlements import GetEntitlements
from cmh.users.domain.roles import service_principal

COURSES_SERVICE = service_principal("courses")


class InProcessEntitlements:
    """courses -> users: what a learner may take."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def of(self, user_id: str) -> LearnerEntitlements:
        async with self._container() as request:
            answer = await (await request.get(GetEntitlements)).execute(COURSES_SERVICE, user_id)
        return LearnerEntitlements(
            user_id=answer.user_id,
            tier=answer.tier,
            course_levels=frozenset(answer.course_levels),
            active=answer.active,
        )


class InProcessPlayback:
    """courses -> content: a signed URL of a ready video, for a learner courses has
    already found entitled to the lesson, in a course the video was attached to."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def url_for(self, asset_id: str, user_id: str, course_id: str) -> PlaybackUrl:
        async with self._container() as request:
            playback = await (await request.get(ContentPlaybackUrl)).execute(
                asset_id, user_id=user_id, course_id=course_id
            )
        return PlaybackUrl(url=playback.url, expires_at=playback.expires_at)


class InProcessMediaLibrary:
    """courses -> content: a course starts using an asset; content checks the caller may."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def attach(self, caller: Principal, asset_id: str, course_id: str) -> AttachedAsset:
        async with self._container() as request:
            asset = await (await request.get(AttachAsset)).execute(caller, asset_id, course_id)
        return AttachedAsset(id=asset.id, kind=asset.kind, status=asset.status)
