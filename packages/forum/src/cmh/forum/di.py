"""dishka providers of the Forum context.

- ``ForumUseCasesProvider``: every use case (request scope) and the shared ``ForumTools``.
- ``ForumMemoryProvider``: in-memory boards and threads, the kernel ``InMemoryUnitOfWork``.
- ``ForumMemoryStoresProvider``: the in-memory stores alone (the embedded profile, whose
  unit of work and outbox are the kernel's SQL ones).
- ``CoursesStandInProvider`` / ``HandleDirectoryProvider``: stand-ins for courses and users.
- ``MemorySearchProvider`` / ``ElasticsearchSearchProvider``: the post search.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, alias, provide, provide_all
from elasticsearch import AsyncElasticsearch

from cmh.forum.adapters.markdown.renderer import MarkdownItRenderer
from cmh.forum.adapters.memory.stand_ins import HandleIsUserIdDirectory, MemoryCourseMembers
from cmh.forum.adapters.memory.stores import MemoryBoardStore, MemoryThreadStore
from cmh.forum.adapters.search.elasticsearch import ElasticsearchPostSearch
from cmh.forum.adapters.search.memory import MemoryPostSearch
from cmh.forum.application.accept_answer import AcceptAnswer
from cmh.forum.application.anonymise_user import AnonymiseUser
from cmh.forum.application.ban_user import BanUser, LiftBan
from cmh.forum.application.delete_post import DeletePost
from cmh.forum.application.edit_post import EditPost
from cmh.forum.application.follow_thread import FollowThread
from cmh.forum.application.get_thread import GetThread
from cmh.forum.application.index_posts import IndexPosts
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
    ThreadStore,
    UserDirectory,
)
from cmh.forum.application.post_reply import PostReply
from cmh.forum.application.react_to_post import ReactToPost
from cmh.forum.application.report_post import ReportPost
from cmh.forum.application.search_posts import SearchPosts
from cmh.forum.application.start_thread import StartThread
from cmh.forum.application.tools import ForumTools
from cmh.forum.consumers.handlers import (
    CourseBoardHandler,
    SearchIndexHandler,
    UserErasureHandler,
)
from cmh.forum.settings import ForumSettings
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.event_mapping import EventMap
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
    )
    queries = provide_all(ListBoards, ListThreads, GetThread, SearchPosts)
    handlers = provide_all(CourseBoardHandler, UserErasureHandler, SearchIndexHandler)

    @provide(scope=Scope.APP)
    def renderer(self) -> MarkdownRenderer:
        return MarkdownItRenderer()


class ForumMemoryStoresProvider(Provider):
    scope = Scope.APP
    boards = provide(MemoryBoardStore, provides=BoardStore)
    threads = provide(MemoryThreadStore, provides=ThreadStore)


class ForumMemoryProvider(ForumMemoryStoresProvider):
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork("cloudmastershub/forum", events)


class CoursesStandInProvider(Provider):
    """Course roles a test (or the platform's in-process bridge) arranges."""

    scope = Scope.APP
    members = alias(source=MemoryCourseMembers, provides=CourseMembers)

    @provide
    def memory_members(self) -> MemoryCourseMembers:
        return MemoryCourseMembers()


class HandleDirectoryProvider(Provider):
    scope = Scope.APP
    directory = provide(HandleIsUserIdDirectory, provides=UserDirectory)


class MemorySearchProvider(Provider):
    scope = Scope.APP
    search = provide(MemoryPostSearch, provides=PostSearch)


class ElasticsearchSearchProvider(Provider):
    """Input: ``ForumSettings`` in the container context."""

    scope = Scope.APP

    @provide
    async def client(self, settings: ForumSettings) -> AsyncIterator[AsyncElasticsearch]:
        client = AsyncElasticsearch(settings.search.elasticsearch_url)
        yield client
        await client.close()

    @provide
    async def search(self, client: AsyncElasticsearch, settings: ForumSettings) -> PostSearch:
        search = ElasticsearchPostSearch(client, settings.search.index)
        await search.ensure_index()
        return search
