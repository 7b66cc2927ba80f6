"""dishka providers of the Forum context.

- ``ForumUseCasesProvider``: every use case (request scope) and the shared ``ForumTools``.
- ``ForumMemoryProvider``: in-memory boards and threads, the kernel ``InMemoryUnitOfWork``.
- ``ForumMemoryStoresProvider``: the in-memory stores alone (tests that bring their own
  unit of work).
- ``ForumSqlProvider``: boards, threads and read marks in SQL (the embedded profile's SQLite),
  on the request's session, so they commit with the kernel's unit of work and outbox.
- ``CoursesStandInProvider`` / ``UsersStandInProvider``: stand-ins for courses and users
  (the embedded platform overrides both with its in-process bridges).
- ``MemorySearchProvider`` / ``ElasticsearchSearchProvider``: the post search.
- ``ForumMongoProvider`` / ``CoursesHttpProvider`` / ``UsersHttpProvider``: the distributed
  profile's stores (with their outbox), courses and users over HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from dishka import Provider, Scope, alias, provide, provide_all
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cmh.forum.adapters.courses.members import HttpCourseMembers
from cmh.forum.adapters.markdown.renderer import MarkdownItRenderer
from cmh.forum.adapters.memory.stand_ins import MemoryCourseMembers, MemoryUserDirectory
from cmh.forum.adapters.memory.stores import MemoryBoardStore, MemoryReadMarks, MemoryThreadStore
from cmh.forum.adapters.mongo.documents import ensure_indexes
from cmh.forum.adapters.mongo.outbox import MongoOutboxRelay
from cmh.forum.adapters.mongo.stores import MongoBoardStore, MongoReadMarks, MongoThreadStore
from cmh.forum.adapters.mongo.unit_of_work import ForumOutboxWakeup, MongoForumUnitOfWork
from cmh.forum.adapters.search.memory import MemoryPostSearch
from cmh.forum.adapters.sql.stores import SqlBoardStore, SqlReadMarks, SqlThreadStore
from cmh.forum.adapters.users.directory import HttpUserDirectory
from cmh.forum.application.accept_answer import AcceptAnswer
from cmh.forum.application.anonymise_user import AnonymiseUser
from cmh.forum.application.ban_user import BanUser, LiftBan
from cmh.forum.application.delete_post import DeletePost
from cmh.forum.application.edit_post import EditPost
from cmh.forum.application.follow_thread import FollowThread
from cmh.forum.application.get_thread import GetThread
from cmh.forum.application.index_posts import IndexPosts
from cmh.forum.application.leave_course_board import LeaveCourseBoard
from cmh.forum.application.list_boards import ListBoards
from cmh.forum.application.list_threads import ListThreads
from cmh.forum.application.moderate_post import ModeratePost
from cmh.forum.application.moderate_thread import ModerateThread
from cmh.forum.application.open_course_board import OpenCourseBoard, OpenGeneralBoard
from cmh.forum.application.ports import (
    BoardStore,
    CourseMembers,
    MarkdownRenderer,
    PostSearch,
    ReadMarks,
    ThreadStore,
    UserDirectory,
)
from cmh.forum.application.post_reply import PostReply
from cmh.forum.application.react_to_post import ReactToPost
from cmh.forum.application.rebuild_search_index import RebuildSearchIndex
from cmh.forum.application.report_post import ReportPost
from cmh.forum.application.search_posts import SearchPosts
from cmh.forum.application.start_thread import StartThread
from cmh.forum.application.tools import ForumTools
from cmh.forum.consumers.handlers import (
    CourseBoardHandler,
    CourseLeaverHandler,
    SearchIndexHandler,
    UserErasureHandler,
)
from cmh.forum.settings import ForumSettings
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.health import MongoCheck
from cmh.kernel.messaging.ports import EventPublisher
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork


class ForumUseCasesProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def tools(
        self,
        boards: BoardStore,
        threads: ThreadStore,
        members: CourseMembers,
        renderer: MarkdownRenderer,
        directory: UserDirectory,
        clock: Clock,
        ids: IdGenerator,
        uow: UnitOfWork,
    ) -> ForumTools:
        return ForumTools(boards, threads, members, renderer, directory, clock, ids, uow)

    commands = provide_all(
        StartThread,
        PostReply,
        EditPost,
        DeletePost,
        ReactToPost,
        AcceptAnswer,
        FollowThread,
        ReportPost,
        ModeratePost,
        ModerateThread,
        BanUser,
        LiftBan,
        OpenCourseBoard,
        OpenGeneralBoard,
        AnonymiseUser,
        IndexPosts,
        RebuildSearchIndex,
        LeaveCourseBoard,
    )
    queries = provide_all(ListBoards, ListThreads, GetThread, SearchPosts)
    handlers = provide_all(
        CourseBoardHandler, CourseLeaverHandler, UserErasureHandler, SearchIndexHandler
    )

    @provide(scope=Scope.APP)
    def renderer(self) -> MarkdownRenderer:
        return MarkdownItRenderer()


class ForumMemoryStoresProvider(Provider):
    scope = Scope.APP
    boards = provide(MemoryBoardStore, provides=BoardStore)
    threads = provide(MemoryThreadStore, provides=ThreadStore)
    marks = provide(MemoryReadMarks, provides=ReadMarks)


class ForumMemoryProvider(ForumMemoryStoresProvider):
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork("cloudmastershub/forum", events)


class ForumSqlProvider(Provider):
    """Needs: the kernel ``SqlProvider`` (sessions, its ``UnitOfWork``) and
    ``FORUM_MIGRATIONS``. Gives the stores, durable across restarts without MongoDB."""

    scope = Scope.REQUEST

    @provide
    def boards(self, session: AsyncSession, uow: UnitOfWork) -> BoardStore:
        return SqlBoardStore(session, uow)

    @provide
    def threads(self, session: AsyncSession, uow: UnitOfWork) -> ThreadStore:
        return SqlThreadStore(session, uow)

    @provide(scope=Scope.APP)
    def marks(self, sessions: async_sessionmaker[AsyncSession]) -> ReadMarks:
        return SqlReadMarks(sessions)


class CoursesStandInProvider(Provider):
    """Course roles a test (or the platform's in-process bridge) arranges."""

    scope = Scope.APP
    members = alias(source=MemoryCourseMembers, provides=CourseMembers)

    @provide
    def memory_members(self) -> MemoryCourseMembers:
        return MemoryCourseMembers()


class UsersStandInProvider(Provider):
    """@mention handles a test arranges (or the platform's in-process bridge answers)."""

    scope = Scope.APP
    directory = alias(source=MemoryUserDirectory, provides=UserDirectory)

    @provide
    def memory_directory(self) -> MemoryUserDirectory:
        return MemoryUserDirectory()


class MemorySearchProvider(Provider):
    scope = Scope.APP
    search = provide(MemoryPostSearch, provides=PostSearch)


class ElasticsearchSearchProvider(Provider):
    """Input: ``ForumSettings`` in the container context."""

    scope = Scope.APP

    @provide
    async def search(self, settings: ForumSettings) -> AsyncIterator[PostSearch]:
        # A vendor's SDK is imported by the provider that chose it, never by the profiles
        # that search elsewhere (each costs its process 50-60 MB resident).
        from elasticsearch import AsyncElasticsearch

        from cmh.forum.adapters.search.elasticsearch import ElasticsearchPostSearch

        async with AsyncElasticsearch(settings.search.elasticsearch_url) as client:
            search = ElasticsearchPostSearch(client, settings.search.index)
            await search.ensure_index()
            yield search


class AlgoliaSearchProvider(Provider):
    """Input: ``ForumSettings`` (its ``search.algolia_*``) in the container context."""

    scope = Scope.APP

    @provide
    async def search(self, settings: ForumSettings) -> AsyncIterator[PostSearch]:
        from cmh.forum.adapters.search.algolia import AlgoliaPostSearch, algolia_client

        s = settings.search
        client = algolia_client(s.algolia_app_id, s.algolia_api_key, s.algolia_host)
        yield AlgoliaPostSearch(client, s.index)
        await client.close()


FORUM_SOURCE = "cloudmastershub/forum"
ForumDatabase = AsyncDatabase[dict[str, Any]]


class ForumMongoProvider(Provider):
    """Needs ``ForumSettings``, Clock, IdGenerator, EventMap, EventPublisher (the relay).
    Gives the stores and the ``UnitOfWork`` (request), the relay (app)."""

    scope = Scope.APP
    wakeup = provide(ForumOutboxWakeup)
    check = provide(MongoCheck)

    @provide
    async def client(
        self, settings: ForumSettings
    ) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            settings.mongo_url, tz_aware=True
        )
        yield client
        await client.close()

    @provide
    async def database(
        self, client: AsyncMongoClient[dict[str, Any]], settings: ForumSettings
    ) -> ForumDatabase:
        db = client[settings.mongo_db]
        await ensure_indexes(db)
        return db

    @provide
    def relay(
        self, db: ForumDatabase, publisher: EventPublisher, wakeup: ForumOutboxWakeup
    ) -> MongoOutboxRelay:
        return MongoOutboxRelay(db, publisher, wakeup)

    @provide(scope=Scope.REQUEST)
    def unit_of_work(
        self,
        db: ForumDatabase,
        clock: Clock,
        ids: IdGenerator,
        wakeup: ForumOutboxWakeup,
        events: EventMap,
    ) -> MongoForumUnitOfWork:
        return MongoForumUnitOfWork(db, clock, ids, FORUM_SOURCE, wakeup, events)

    kernel_uow = alias(source=MongoForumUnitOfWork, provides=UnitOfWork)

    @provide(scope=Scope.REQUEST)
    def boards(self, db: ForumDatabase, uow: MongoForumUnitOfWork) -> BoardStore:
        return MongoBoardStore(db, uow)

    @provide(scope=Scope.REQUEST)
    def threads(self, db: ForumDatabase, uow: MongoForumUnitOfWork) -> ThreadStore:
        return MongoThreadStore(db, uow)

    @provide
    def marks(self, db: ForumDatabase) -> ReadMarks:
        return MongoReadMarks(db)


class CoursesHttpProvider(Provider):
    scope = Scope.APP

    @provide
    def members(self, http: httpx.AsyncClient, settings: ForumSettings) -> CourseMembers:
        return HttpCourseMembers(http, settings.courses_url)


class UsersHttpProvider(Provider):
    scope = Scope.APP

    @provide
    def directory(self, http: httpx.AsyncClient, settings: ForumSettings) -> UserDirectory:
        return HttpUserDirectory(http, settings.users)
