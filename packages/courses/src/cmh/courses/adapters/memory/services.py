"""In-memory stand-ins for the users and content services and the content store."""

from __future__ import annotations

from datetime import timedelta

from cmh.courses.application.ports import (
    AttachedAsset,
    LabSessionSummary,
    LearnerEntitlements,
    LessonContent,
    PlaybackUrl,
)
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock
from cmh.kernel.errors import Conflict, Forbidden, NotFound

# The users context's rule, mirrored for the stand-in: free -> beginner, paid -> all.
LEVELS_BY_TIER: dict[str, frozenset[str]] = {
    "free": frozenset({"beginner"}),
    "pro": frozenset({"beginner", "intermediate", "advanced"}),
    "team": frozenset({"beginner", "intermediate", "advanced"}),
}


class MemoryEntitlements:
    """Users unknown to the fake are free-tier and active, unless ``strict`` is set."""

    def __init__(self, *, strict: bool = False) -> None:
        self.users: dict[str, LearnerEntitlements] = {}
        self._strict = strict

    def set_user(self, user_id: str, tier: str = "free", *, active: bool = True) -> None:
        self.users[user_id] = LearnerEntitlements(
            user_id=user_id,
            tier=tier,
            course_levels=LEVELS_BY_TIER.get(tier, frozenset()),
            active=active,
        )

    async def of(self, user_id: str) -> LearnerEntitlements:
        if user_id not in self.users:
            if self._strict:
                raise NotFound(f"user {user_id} not found", code="user_not_found")
            self.set_user(user_id)
        return self.users[user_id]


class MemoryMediaLibrary:
    """Content's stand-in for attaching assets. Assets given to ``add_asset`` belong to
    their owner (admins may use any); an id the fake does not know counts as a ready
    video of the caller's, unless ``strict``. ``attachments`` holds (asset, course)."""

    def __init__(self, *, strict: bool = False) -> None:
        self.assets: dict[str, tuple[str, AttachedAsset]] = {}
        self.attachments: set[tuple[str, str]] = set()
        self._strict = strict

    def add_asset(
        self, asset_id: str, owner_id: str, *, kind: str = "video", status: str = "ready"
    ) -> None:
        self.assets[asset_id] = (owner_id, AttachedAsset(id=asset_id, kind=kind, status=status))

    async def attach(self, caller: Principal, asset_id: str, course_id: str) -> AttachedAsset:
        known = self.assets.get(asset_id)
        if known is None and not self._strict:
            known = (caller.user_id, AttachedAsset(id=asset_id, kind="video", status="ready"))
        if known is None or not caller.may_act_for(known[0]):
            raise NotFound(f"asset {asset_id} not found", code="asset_not_found")
        self.attachments.add((asset_id, course_id))
        return known[1]


class MemoryLabs:
    """Labs' stand-in. Templates given to ``add_template`` belong to their owner and are
    open to the given levels' learners (``entitled`` lists the users who may launch
    beyond the beginner level); an unknown template is not found. A learner launches one
    session per template until ``end``; ``launches`` holds what was asked."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.templates: dict[str, tuple[str, str]] = {}  # id -> (owner, level)
        self.entitled: set[str] = set()
        self.running: set[tuple[str, str]] = set()
        self.launches: list[LabSessionSummary] = []

    def add_template(self, template_id: str, owner_id: str, *, level: str = "beginner") -> None:
        self.templates[template_id] = (owner_id, level)

    def end(self, user_id: str, template_id: str) -> None:
        self.running.discard((user_id, template_id))

    async def launch(
        self, user_id: str, template_id: str, course_id: str, lesson_id: str
    ) -> LabSessionSummary:
        if template_id not in self.templates:
            raise NotFound(f"lab template {template_id} not found", code="lab_template_not_found")
        if self.templates[template_id][1] != "beginner" and user_id not in self.entitled:
            raise Forbidden("your plan does not include this lab", code="not_entitled")
        if (user_id, template_id) in self.running:
            raise Conflict("a session of this lab is running", code="lab_already_running")
        self.running.add((user_id, template_id))
        session = LabSessionSummary(
            id=f"session-{len(self.launches) + 1}",
            user_id=user_id,
            template_id=template_id,
            course_id=course_id,
            lesson_id=lesson_id,
            provider="aws",
            status="requested",
            region="us-east-1",
            requested_at=self._clock.now(),
            expires_at=None,
            max_score=10,
        )
        self.launches.append(session)
        return session

    async def owner_of(self, template_id: str) -> str | None:
        known = self.templates.get(template_id)
        return known[0] if known else None


class MemoryPlayback:
    """Signs readable fake URLs; with a ``MemoryMediaLibrary``, only for an asset attached
    to the course (as content does)."""

    def __init__(
        self,
        clock: Clock,
        media: MemoryMediaLibrary | None = None,
        base_url: str = "https://media.cloudmastershub.local",
    ) -> None:
        self._clock = clock
        self._media = media
        self._base_url = base_url
        self.requests: list[tuple[str, str, str]] = []

    async def url_for(self, asset_id: str, user_id: str, course_id: str) -> PlaybackUrl:
        if self._media is not None and (asset_id, course_id) not in self._media.attachments:
            raise NotFound(f"video asset {asset_id} not found", code="asset_not_found")
        self.requests.append((asset_id, user_id, course_id))
        return PlaybackUrl(
            url=f"{self._base_url}/assets/{asset_id}/play?user={user_id}",
            expires_at=self._clock.now() + timedelta(minutes=15),
        )


class MemoryLessonContentStore:
    def __init__(self) -> None:
        self.documents: dict[tuple[str, str], LessonContent] = {}

    async def get(self, course_id: str, lesson_id: str) -> LessonContent | None:
        return self.documents.get((course_id, lesson_id))

    async def put(self, content: LessonContent) -> None:
        self.documents[(content.course_id, content.lesson_id)] = content
