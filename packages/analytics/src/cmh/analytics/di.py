"""dishka providers of the Analytics context, one per adapter family.

A composition root takes the kernel's providers (clock, SQL, bus, auth,
``PrincipalProvider``, dishka's ``LitestarProvider``) and adds:

- ``AnalyticsSqlProvider`` or ``AnalyticsMemoryProvider`` for the warehouse and the
  recommendation board,
- courses' ownership and users' interests: ``ServicesStandInProvider`` (memory; the
  embedded profile until the platform's in-process bridges replace it) or
  ``ServicesHttpProvider``,
- ``MixpanelProvider`` (distributed, with a token) or ``NoProductAnalyticsProvider``,
- ``RedisLiveFeedProvider`` (distributed, with the kernel's ``RedisProvider``) or
  ``InProcessLiveFeedProvider`` for the live counters,
- ``AnalyticsEngineProvider`` (the collaborative filter, the chart renderer),
- ``AnalyticsUseCasesProvider`` (use cases, the recommendation engine, event handlers).

Context value: ``AnalyticsSettings``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from dishka import Provider, Scope, alias, provide, provide_all
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.analytics.adapters.courses.directory import HttpCourseDirectory
from cmh.analytics.adapters.memory.live_feed import InProcessLiveFeed
from cmh.analytics.adapters.memory.services import (
    MemoryCourseDirectory,
    MemoryLearnerProfiles,
    NoProductAnalytics,
)
from cmh.analytics.adapters.memory.warehouse import MemoryFactWarehouse, MemoryRecommendationBoard
from cmh.analytics.adapters.mixpanel.forwarder import MixpanelProductAnalytics
from cmh.analytics.adapters.redis.live_feed import RedisLiveFeed
from cmh.analytics.adapters.sql.warehouse import SqlFactWarehouse, SqlRecommendationBoard
from cmh.analytics.adapters.users.profiles import HttpLearnerProfiles
from cmh.analytics.application.admin_overview import AdminOverview
from cmh.analytics.application.course_chart import CourseChart
from cmh.analytics.application.course_report import CourseReport, CourseReportCsv
from cmh.analytics.application.forward_event import ForwardEvent
from cmh.analytics.application.handle_user_erasure import HandleUserErasure
from cmh.analytics.application.learner_dashboard import LearnerDashboard
from cmh.analytics.application.live_counters import LiveCounters
from cmh.analytics.application.my_recommendations import MyRecommendations
from cmh.analytics.application.ports import (
    ChartRenderer,
    CollaborativeFilter,
    CourseDirectory,
    FactWarehouse,
    LearnerProfiles,
    LiveFeed,
    ProductAnalytics,
    RecommendationBoard,
)
from cmh.analytics.application.recommender import RecommendationEngine
from cmh.analytics.application.record_fact import RecordFact, RecordFacts
from cmh.analytics.application.retrain_recommendations import RetrainRecommendations
from cmh.analytics.application.revenue_report import RevenueByPlan, RevenueByPlanCsv
from cmh.analytics.consumers.handlers import (
    FactBatchHandler,
    FactHandler,
    ForwardHandler,
    UserErasureHandler,
)
from cmh.analytics.domain.model import RetrainPolicy
from cmh.analytics.settings import AnalyticsSettings
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork


class AnalyticsSqlProvider(Provider):
    """The warehouse and board on the request's ``AsyncSession`` (kernel ``SqlProvider``):
    they share the unit of work's transaction. Run ``ANALYTICS_MIGRATIONS`` first."""

    scope = Scope.REQUEST

    @provide
    def warehouse(self, session: AsyncSession) -> FactWarehouse:
        return SqlFactWarehouse(session)

    @provide
    def board(self, session: AsyncSession, uow: UnitOfWork) -> RecommendationBoard:
        return SqlRecommendationBoard(session, uow)


class AnalyticsMemoryProvider(Provider):
    """In-memory warehouse and board staged in the kernel ``InMemoryUnitOfWork`` this
    provider also gives as the ``UnitOfWork``."""

    scope = Scope.APP
    warehouse = provide(MemoryFactWarehouse, provides=FactWarehouse)
    board = provide(MemoryRecommendationBoard, provides=RecommendationBoard)
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork("cloudmastershub/analytics", events)


class ServicesStandInProvider(Provider):
    """Stand-ins for courses and users (a test or the demo arranges them)."""

    scope = Scope.APP
    directory = alias(source=MemoryCourseDirectory, provides=CourseDirectory)
    profiles = alias(source=MemoryLearnerProfiles, provides=LearnerProfiles)

    @provide
    def memory_directory(self) -> MemoryCourseDirectory:
        return MemoryCourseDirectory()

    @provide
    def memory_profiles(self) -> MemoryLearnerProfiles:
        return MemoryLearnerProfiles()


class ServicesHttpProvider(Provider):
    """Course ownership from courses, interests from users, over HTTP."""

    scope = Scope.APP

    @provide
    def directory(self, http: httpx.AsyncClient, settings: AnalyticsSettings) -> CourseDirectory:
        return HttpCourseDirectory(http, settings.courses)

    @provide
    def profiles(self, http: httpx.AsyncClient, settings: AnalyticsSettings) -> LearnerProfiles:
        return HttpLearnerProfiles(http, settings.users)


class NoProductAnalyticsProvider(Provider):
    scope = Scope.APP
    analytics = provide(NoProductAnalytics, provides=ProductAnalytics)


class MixpanelProvider(Provider):
    """Mixpanel when a token is configured, nothing otherwise; the buffer is flushed when
    the process stops."""

    scope = Scope.APP

    @provide
    async def analytics(self, settings: AnalyticsSettings) -> AsyncIterator[ProductAnalytics]:
        if not settings.mixpanel.token:
            yield NoProductAnalytics()
            return
        mixpanel = MixpanelProductAnalytics(settings.mixpanel)
        yield mixpanel
        await mixpanel.flush()


class InProcessLiveFeedProvider(Provider):
    """Live counters fanned out inside the process (memory, embedded)."""

    scope = Scope.APP
    feed = provide(InProcessLiveFeed, provides=LiveFeed)


class RedisLiveFeedProvider(Provider):
    """Live counters over Redis Pub/Sub, on the kernel ``RedisProvider``'s client."""

    scope = Scope.APP

    @provide
    def feed(self, redis: Redis) -> LiveFeed:
        return RedisLiveFeed(redis)


class AnalyticsEngineProvider(Provider):
    """One collaborative filter per process: the model the background retraining swaps."""

    scope = Scope.APP

    # NumPy and Matplotlib (about 85 MB resident together) are imported when the first
    # recommendation or chart needs them, not by every process that starts this context.
    @provide
    def collaborative(self) -> CollaborativeFilter:
        from cmh.analytics.adapters.ml.item_item import NumpyItemItemFilter

        return NumpyItemItemFilter()

    @provide
    def charts(self) -> ChartRenderer:
        from cmh.analytics.adapters.charts.matplotlib_renderer import MatplotlibChartRenderer

        return MatplotlibChartRenderer()

    @provide
    def retrain_policy(self, settings: AnalyticsSettings) -> RetrainPolicy:
        return RetrainPolicy(
            min_new_facts=settings.retrain_min_new_facts,
            max_age=timedelta(seconds=settings.retrain_max_age_seconds),
        )


class AnalyticsUseCasesProvider(Provider):
    """Every use case and event handler (request scope) with the recommendation engine.
    Needs ``UnitOfWork``, ``Clock``, ``IdGenerator`` from the kernel and the ports above."""

    scope = Scope.REQUEST

    services = provide_all(RecommendationEngine)
    commands = provide_all(
        RecordFact, RecordFacts, RetrainRecommendations, ForwardEvent, HandleUserErasure
    )
    queries = provide_all(
        LearnerDashboard,
        CourseReport,
        CourseReportCsv,
        CourseChart,
        AdminOverview,
        RevenueByPlan,
        RevenueByPlanCsv,
        LiveCounters,
        MyRecommendations,
    )
    handlers = provide_all(FactHandler, FactBatchHandler, ForwardHandler, UserErasureHandler)


__all__ = [
    "AnalyticsEngineProvider",
    "AnalyticsMemoryProvider",
    "AnalyticsSqlProvider",
    "AnalyticsUseCasesProvider",
    "InProcessLiveFeedProvider",
    "MixpanelProvider",
    "NoProductAnalyticsProvider",
    "RedisLiveFeedProvider",
    "ServicesHttpProvider",
    "ServicesStandInProvider",
]
