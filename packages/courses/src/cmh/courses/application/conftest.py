"""Courses use-case tests run on the production composition: the ``CoursesModule`` in the
memory profile (in-memory repositories staging writes until commit, the users and content
stand-ins), with a ``FrozenClock`` and ``SequentialIds`` put in place by explicit
overrides. Each use case is resolved in a request scope of its own, as the HTTP layer
does; repositories, stand-ins and the unit of work come from the container."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import pytest
from dishka import AsyncContainer

from cmh.courses.adapters.memory.repositories import (
    MemoryCourseRepository,
    MemoryEnrollmentRepository,
    MemoryProgressRepository,
)
from cmh.courses.adapters.memory.services import (
    MemoryEntitlements,
    MemoryLabs,
    MemoryMediaLibrary,
)
from cmh.courses.adapters.search.memory import MemoryCourseSearch
from cmh.courses.application.add_lesson import AddLesson, NewLesson
from cmh.courses.application.add_module import AddModule
from cmh.courses.application.create_course import CreateCourse, NewCourse
from cmh.courses.application.ports import (
    CourseRepository,
    CourseSearch,
    EnrollmentRepository,
    LessonContentStore,
    ProgressRepository,
)
from cmh.courses.application.publish_course import PublishCourse
from cmh.courses.application.views import CourseView, course_view
from cmh.courses.domain.values import CloudProvider, LessonKind, Level
from cmh.courses.module import CoursesModule
from cmh.kernel.auth.authenticator import Authenticator, LocalAuthenticator
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenSettings, TokenVerifier
from cmh.kernel.clock import Clock, FrozenClock, IdGenerator, SequentialIds
from cmh.kernel.module import Profile, compose
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh_testing.kernel.overrides import adding, replacing
from cmh_testing.kernel.requests import InRequest

INSTRUCTOR = Principal(user_id="teacher", roles=frozenset({"instructor"}))
OTHER_INSTRUCTOR = Principal(user_id="rival", roles=frozenset({"instructor"}))
ADMIN = Principal(user_id="boss", roles=frozenset({"admin"}))
LEARNER = Principal(user_id="learner", roles=frozenset({"learner"}))
OTHER_LEARNER = Principal(user_id="learner-2", roles=frozenset({"learner"}))

T = TypeVar("T")


async def _memory(container: AsyncContainer, port: Any, kind: type[T]) -> T:
    """The memory profile's adapter behind ``port``, for what only it can show."""
    adapter = await container.get(port)
    assert isinstance(adapter, kind), f"{port} is {type(adapter)}, not {kind}"
    return adapter


@dataclass
class Kit:
    """Open one with ``await Kit.open()``."""

    container: AsyncContainer
    clock: FrozenClock
    ids: SequentialIds
    # Their writes count only once the unit of work commits, as in the database.
    uow: InMemoryUnitOfWork
    courses: MemoryCourseRepository
    enrollments: MemoryEnrollmentRepository
    progress: MemoryProgressRepository
    search: MemoryCourseSearch
    # The users and content stand-ins.
    entitlements: MemoryEntitlements
    media: MemoryMediaLibrary
    labs: MemoryLabs
    contents: LessonContentStore

    @classmethod
    async def open(cls, *, strict_media: bool = False) -> Kit:
        """``strict_media``: content's stand-in knows only the assets a test adds."""
        clock, ids = FrozenClock(), SequentialIds()
        replaced: list[tuple[Any, Any]] = [(Clock, clock), (IdGenerator, ids)]
        if strict_media:
            replaced.append((MemoryMediaLibrary, MemoryMediaLibrary(strict=True)))
        # Courses trusts the users service's keys; its use cases never see a token.
        verifier = TokenVerifier(SigningKey.generate().jwks(), TokenSettings())
        container = compose(
            Profile.MEMORY,
            [CoursesModule()],
            overrides=[
                replacing(*replaced),
                adding((Authenticator, LocalAuthenticator(verifier, clock))),
            ],
            context={},
        )
        return cls(
            container=container,
            clock=clock,
            ids=ids,
            uow=await container.get(InMemoryUnitOfWork),
            courses=await _memory(container, CourseRepository, MemoryCourseRepository),
            enrollments=await _memory(container, EnrollmentRepository, MemoryEnrollmentRepository),
            progress=await _memory(container, ProgressRepository, MemoryProgressRepository),
            search=await _memory(container, CourseSearch, MemoryCourseSearch),
            entitlements=await container.get(MemoryEntitlements),
            media=await container.get(MemoryMediaLibrary),
            labs=await container.get(MemoryLabs),
            contents=await container.get(LessonContentStore),
        )

    async def close(self) -> None:
        await self.container.close()

    def use(self, kind: type[T]) -> T:
        """The use case ``kind`` as the HTTP layer gets it: ``kit.use(AddLesson).execute(...)``."""
        return cast(T, InRequest(self.container, kind))

    @property
    def add_lesson(self) -> AddLesson:
        return self.use(AddLesson)

    async def course_with_lessons(
        self,
        kinds: tuple[LessonKind, ...] = (LessonKind.VIDEO, LessonKind.TEXT),
        *,
        publish: bool = True,
        level: Level = Level.BEGINNER,
        owner: Principal = INSTRUCTOR,
        title: str = "AWS Foundations",
    ) -> CourseView:
        course = await self.use(CreateCourse).execute(
            owner,
            NewCourse(
                title=title,
                summary="Learn the cloud.",
                provider=CloudProvider.AWS,
                level=level,
                tags=("ec2",),
            ),
        )
        module = await self.use(AddModule).execute(owner, course.id, "Basics")
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
            return await self.use(PublishCourse).execute(owner, course.id)
        return await _reload(self, course.id)


async def _reload(kit: Kit, course_id: str) -> CourseView:
    stored = await kit.courses.get(course_id)
    assert stored is not None
    return course_view(stored)


@pytest.fixture
async def kit() -> AsyncIterator[Kit]:
    opened = await Kit.open()
    yield opened
    await opened.close()


@pytest.fixture
async def strict_kit() -> AsyncIterator[Kit]:
    """Content's stand-in knows only the assets a test adds (a real content service)."""
    opened = await Kit.open(strict_media=True)
    yield opened
    await opened.close()
