"""Use cases wired to in-memory adapters, a frozen clock and predictable ids."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from cmh.courses.adapters.cache.catalog_cache import CachedCatalog
from cmh.courses.adapters.memory.repositories import (
    MemoryCourseRepository,
    MemoryEnrollmentRepository,
    MemoryProgressRepository,
)
from cmh.courses.adapters.memory.services import (
    MemoryEntitlements,
    MemoryLabs,
    MemoryLessonContentStore,
    MemoryMediaLibrary,
    MemoryPlayback,
)
from cmh.courses.adapters.search.memory import MemoryCourseSearch
from cmh.courses.application.add_lesson import AddLesson, NewLesson
from cmh.courses.application.add_module import AddModule
from cmh.courses.application.create_course import CreateCourse, NewCourse
from cmh.courses.application.publish_course import PublishCourse
from cmh.courses.application.views import CourseView, course_view
from cmh.courses.domain.values import CloudProvider, LessonKind, Level
from cmh.kernel.auth.principal import Principal
from cmh.kernel.cache import MemoryCache
from cmh.kernel.clock import FrozenClock, SequentialIds
from cmh.kernel.uow import InMemoryUnitOfWork

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
OTHER_INSTRUCTOR = Principal(user_id="rival", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="learner", roles=frozenset({"learner"}))
OTHER_LEARNER = Principal(user_id="learner-2", roles=frozenset({"learner"}))


@dataclass
class Kit:
    contents: MemoryLessonContentStore = field(default_factory=MemoryLessonContentStore)
    search: MemoryCourseSearch = field(default_factory=MemoryCourseSearch)
    entitlements: MemoryEntitlements = field(default_factory=MemoryEntitlements)
    media: MemoryMediaLibrary = field(default_factory=MemoryMediaLibrary)
    uow: InMemoryUnitOfWork = field(default_factory=InMemoryUnitOfWork)
    clock: FrozenClock = field(default_factory=FrozenClock)
    ids: SequentialIds = field(default_factory=SequentialIds)
    raw_cache: MemoryCache = field(default_factory=MemoryCache)
    # Their writes count only once the unit of work commits, as in the database.
    courses: MemoryCourseRepository = field(init=False)
    enrollments: MemoryEnrollmentRepository = field(init=False)
    progress: MemoryProgressRepository = field(init=False)
    labs: MemoryLabs = field(init=False)

    def __post_init__(self) -> None:
        self.labs = MemoryLabs(self.clock)
        self.courses = MemoryCourseRepository(self.uow)
        self.enrollments = MemoryEnrollmentRepository(self.uow)
        self.progress = MemoryProgressRepository(self.uow)

    @property
    def cache(self) -> CachedCatalog:
        return CachedCatalog(self.raw_cache)

    @property
    def playback(self) -> MemoryPlayback:
        return MemoryPlayback(self.clock, self.media)

    @property
    def add_lesson(self) -> AddLesson:
        return AddLesson(self.courses, self.uow, self.clock, self.ids, self.cache, self.media)

    async def course_with_lessons(
        self,
        kinds: tuple[LessonKind, ...] = (LessonKind.VIDEO, LessonKind.TEXT),
        *,
        publish: bool = True,
        level: Level = Level.BEGINNER,
        owner: Principal = INSTRUCTOR,
        title: str = "AWS Foundations",
    ) -> CourseView:
        course = await CreateCourse(self.courses, self.uow, self.clock, self.ids).execute(
            owner,
            NewCourse(
                title=title,
                summary="Learn the cloud.",
                provider=CloudProvider.AWS,
                level=level,
                tags=("ec2",),
            ),
        )
        module = await AddModule(self.courses, self.uow, self.clock, self.ids, self.cache).execute(
            owner, course.id, "Basics"
        )
        for index, kind in enumerate(kinds):
            await self.add_lesson.execute(
                owner,
                course.id,
                module.id,
                NewLesson(
                    title=f"Lesson {index}",
                    kind=kind,
                    duration_minutes=5,
                    asset_id="asset-1" if kind is LessonKind.VIDEO else None,
                ),
            )
        if publish:
            return await PublishCourse(self.courses, self.uow, self.clock, self.cache).execute(
                owner, course.id
            )
        return await _reload(self, course.id)


async def _reload(kit: Kit, course_id: str) -> CourseView:
    stored = await kit.courses.get(course_id)
    assert stored is not None
    return course_view(stored)


@pytest.fixture
def kit() -> Kit:
    return Kit()


@pytest.fixture
def strict_kit() -> Kit:
    """Content's stand-in knows only the assets a test adds (a real content service)."""
    return Kit(media=MemoryMediaLibrary(strict=True))
