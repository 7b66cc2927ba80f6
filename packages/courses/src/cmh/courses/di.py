"""dishka providers of the Courses context, one per adapter family.

A composition root takes the kernel's providers (clock, SQL, bus, cache, auth,
``PrincipalProvider``, dishka's ``LitestarProvider``) and adds:

- ``CoursesSqlProvider`` (with ``CoursesMongoProvider`` or ``CoursesSqlContentProvider``
  for lesson content) or ``CoursesMemoryProvider`` for the repositories,
- the users and content ports: ``CoursesHttpClientsProvider``, ``CoursesStandInsProvider``
  or the embedded platform's in-process bridges,
- one search provider: ``PostgresSearchProvider``, ``MemorySearchProvider`` or
  ``ElasticsearchSearchProvider``,
- ``CoursesUseCasesProvider`` (use cases, event handlers, the catalog cache).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from dishka import Provider, Scope, alias, provide, provide_all
from pymongo import AsyncMongoClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.courses.adapters.cache.catalog_cache import CachedCatalog
from cmh.courses.adapters.http.content_media import HttpMediaLibrary
from cmh.courses.adapters.http.content_playback import HttpPlayback
from cmh.courses.adapters.http.labs_sessions import HttpLabs
from cmh.courses.adapters.http.resilient import ResilientJsonClient
from cmh.courses.adapters.http.users_entitlements import HttpEntitlements
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
from cmh.courses.adapters.mongo.content_store import MongoLessonContentStore
from cmh.courses.adapters.search.memory import MemoryCourseSearch
from cmh.courses.adapters.search.postgres import PostgresCourseSearch
from cmh.courses.adapters.sql.course_repository import SqlCourseRepository
from cmh.courses.adapters.sql.learning_repositories import (
    SqlEnrollmentRepository,
    SqlProgressRepository,
)
from cmh.courses.adapters.sql.lesson_content import SqlLessonContentStore
from cmh.courses.application.add_lesson import AddLesson
from cmh.courses.application.add_module import AddModule
from cmh.courses.application.archive_course import ArchiveCourse
from cmh.courses.application.authored_courses import AuthoredCourses
from cmh.courses.application.browse_catalog import BrowseCatalog
from cmh.courses.application.complete_lesson import CompleteLesson
from cmh.courses.application.complete_quiz_lesson import CompleteQuizLesson
from cmh.courses.application.course_membership import CourseMembership
from cmh.courses.application.create_course import CreateCourse
from cmh.courses.application.enroll_learner import EnrollLearner
from cmh.courses.application.get_course import GetCourse
from cmh.courses.application.get_lesson_content import GetLessonContent
from cmh.courses.application.get_progress import GetProgress
from cmh.courses.application.handle_user_erasure import HandleUserErasure
from cmh.courses.application.launch_lesson_lab import LaunchLessonLab
from cmh.courses.application.lesson_playback import LessonPlayback
from cmh.courses.application.my_enrollments import MyEnrollments
from cmh.courses.application.ports import (
    CatalogCache,
    CourseRepository,
    CourseSearch,
    EnrollmentRepository,
    Entitlements,
    Labs,
    LessonContentStore,
    MediaLibrary,
    Playback,
    ProgressRepository,
)
from cmh.courses.application.publish_course import PublishCourse
from cmh.courses.application.put_lesson_content import PutLessonContent
from cmh.courses.application.reindex_catalog import ReindexCatalog
from cmh.courses.application.reorder_lessons import ReorderLessons
from cmh.courses.application.reorder_modules import ReorderModules
from cmh.courses.application.save_video_position import SaveVideoPosition
from cmh.courses.application.sync_search_index import SyncSearchIndex
from cmh.courses.application.unenroll import Unenroll
from cmh.courses.application.update_course import UpdateCourse
from cmh.courses.consumers.handlers import (
    QuizPassedHandler,
    SearchIndexBatchHandler,
    SearchIndexHandler,
    UserErasureHandler,
)
from cmh.courses.settings import ElasticsearchSettings, MongoSettings, ServiceClientSettings
from cmh.kernel.cache import Cache
from cmh.kernel.clock import Clock
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.health import MongoCheck
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork


class CoursesSqlProvider(Provider):
    """Repositories on the request's ``AsyncSession`` (kernel ``SqlProvider``), so they share
    the unit of work's transaction. Run ``COURSES_MIGRATIONS`` before serving."""

    scope = Scope.REQUEST

    @provide
    def courses(self, session: AsyncSession, uow: UnitOfWork) -> CourseRepository:
        return SqlCourseRepository(session, uow)

    @provide
    def enrollments(self, session: AsyncSession, uow: UnitOfWork) -> EnrollmentRepository:
        return SqlEnrollmentRepository(session, uow)

    @provide
    def progress(self, session: AsyncSession, uow: UnitOfWork) -> ProgressRepository:
        return SqlProgressRepository(session, uow)


class CoursesMemoryProvider(Provider):
    """In-memory repositories and lesson content (memory profile, tests). Their writes
    are staged in the kernel ``InMemoryUnitOfWork`` this provider also gives as the
    ``UnitOfWork``: what a use case does not commit is dropped, as in the database."""

    scope = Scope.APP
    courses = provide(MemoryCourseRepository, provides=CourseRepository)
    enrollments = provide(MemoryEnrollmentRepository, provides=EnrollmentRepository)
    progress = provide(MemoryProgressRepository, provides=ProgressRepository)
    contents = provide(MemoryLessonContentStore, provides=LessonContentStore)
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork("cloudmastershub/courses", events)


class CoursesStandInsProvider(Provider):
    """Stand-ins for the users and content services (memory profile, tests):
    ``MemoryEntitlements`` (unknown users are free and active), ``MemoryMediaLibrary``
    (unknown assets are the caller's) and ``MemoryPlayback``. Tests reach them by their
    own types to arrange answers."""

    scope = Scope.APP
    entitlements = alias(source=MemoryEntitlements, provides=Entitlements)
    playback = alias(source=MemoryPlayback, provides=Playback)
    media = alias(source=MemoryMediaLibrary, provides=MediaLibrary)
    labs = alias(source=MemoryLabs, provides=Labs)

    @provide
    def memory_labs(self, clock: Clock) -> MemoryLabs:
        return MemoryLabs(clock)

    @provide
    def memory_entitlements(self) -> MemoryEntitlements:
        return MemoryEntitlements()

    @provide
    def memory_media(self) -> MemoryMediaLibrary:
        return MemoryMediaLibrary()

    @provide
    def memory_playback(self, clock: Clock, media: MemoryMediaLibrary) -> MemoryPlayback:
        return MemoryPlayback(clock, media)


class CoursesSqlContentProvider(Provider):
    """Lesson content in the context's SQL database (embedded profile, no MongoDB): needs the
    kernel ``SqlProvider``'s session factory and migration courses_0003."""

    scope = Scope.APP

    @provide
    def contents(self, sessions: async_sessionmaker[AsyncSession]) -> LessonContentStore:
        return SqlLessonContentStore(sessions)


class CoursesMongoProvider(Provider):
    """Lesson content in MongoDB. Input: ``MongoSettings`` in the container context."""

    scope = Scope.APP
    check = provide(MongoCheck)

    @provide
    async def client(
        self, settings: MongoSettings
    ) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.url, tz_aware=True)
        yield client
        await client.close()

    @provide
    def contents(
        self, client: AsyncMongoClient[dict[str, Any]], settings: MongoSettings
    ) -> LessonContentStore:
        return MongoLessonContentStore(client[settings.database])


class PostgresSearchProvider(Provider):
    """Full-text search in the context's PostgreSQL database (needs migration courses_0002
    and the kernel ``SqlProvider``'s ``AsyncSession``)."""

    scope = Scope.REQUEST

    @provide
    def search(self, session: AsyncSession) -> CourseSearch:
        return PostgresCourseSearch(session)


class MemorySearchProvider(Provider):
    """An in-process index, empty at start: run ``ReindexCatalog`` once the app is up."""

    scope = Scope.APP
    search = provide(MemoryCourseSearch, provides=CourseSearch)


class ElasticsearchSearchProvider(Provider):
    """Input: ``ElasticsearchSettings`` in the container context. The index is created with
    its mapping on first use of the app-scoped client."""

    scope = Scope.APP

    @provide
    async def search(self, settings: ElasticsearchSettings) -> AsyncIterator[CourseSearch]:
        # The SDK is imported here, by the profile that chose it: the others (the embedded
        # platform among them) would carry its 57 MB resident for nothing.
        from elasticsearch import AsyncElasticsearch

        from cmh.courses.adapters.search.elasticsearch import ElasticsearchCourseSearch

        async with AsyncElasticsearch(settings.url) as client:
            search = ElasticsearchCourseSearch(client, settings.index, settings.analyzer)
            await search.ensure_index()
            yield search


class CoursesHttpClientsProvider(Provider):
    """Entitlements (users), Playback and MediaLibrary (content), Labs over HTTP. Inputs:
    ``ServiceClientSettings`` in the container context and the kernel ``HttpClientProvider``'s
    ``httpx.AsyncClient``. Each service gets its own circuit breaker."""

    scope = Scope.APP

    @provide
    def entitlements(
        self, http: httpx.AsyncClient, settings: ServiceClientSettings
    ) -> Entitlements:
        return HttpEntitlements(
            ResilientJsonClient(http, service="users", settings=settings), settings.users_url
        )

    @provide
    def playback(self, http: httpx.AsyncClient, settings: ServiceClientSettings) -> Playback:
        return HttpPlayback(
            ResilientJsonClient(http, service="content", settings=settings), settings.content_url
        )

    @provide
    def media(self, http: httpx.AsyncClient, settings: ServiceClientSettings) -> MediaLibrary:
        return HttpMediaLibrary(
            ResilientJsonClient(http, service="content", settings=settings), settings.content_url
        )

    @provide
    def labs(self, http: httpx.AsyncClient, settings: ServiceClientSettings) -> Labs:
        return HttpLabs(
            ResilientJsonClient(http, service="labs", settings=settings), settings.labs_url
        )


class CoursesUseCasesProvider(Provider):
    """Every use case and event handler (request scope) and the catalog cache over the
    kernel ``Cache``. Needs ``UnitOfWork``, ``Clock``, ``IdGenerator`` from the kernel and
    the ports above."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def catalog_cache(self, cache: Cache) -> CatalogCache:
        return CachedCatalog(cache)

    commands = provide_all(
        CreateCourse,
        UpdateCourse,
        AddModule,
        AddLesson,
        ReorderModules,
        ReorderLessons,
        PublishCourse,
        ArchiveCourse,
        PutLessonContent,
        EnrollLearner,
        Unenroll,
        CompleteLesson,
        CompleteQuizLesson,
        SaveVideoPosition,
        HandleUserErasure,
        SyncSearchIndex,
        ReindexCatalog,
    )
    queries = provide_all(
        BrowseCatalog,
        AuthoredCourses,
        GetCourse,
        GetLessonContent,
        MyEnrollments,
        GetProgress,
        LessonPlayback,
        LaunchLessonLab,
        CourseMembership,
    )
    handlers = provide_all(
        UserErasureHandler, SearchIndexHandler, SearchIndexBatchHandler, QuizPassedHandler
    )


__all__ = [
    "CoursesHttpClientsProvider",
    "CoursesMemoryProvider",
    "CoursesMongoProvider",
    "CoursesSqlContentProvider",
    "CoursesSqlProvider",
    "CoursesStandInsProvider",
    "CoursesUseCasesProvider",
    "ElasticsearchSearchProvider",
    "MemorySearchProvider",
    "PostgresSearchProvider",
]
