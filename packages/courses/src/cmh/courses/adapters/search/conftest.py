"""The search contract runs against the in-memory index, PostgreSQL full text and a real
Elasticsearch node (an index of its own per test)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from elasticsearch import AsyncElasticsearch

from cmh.courses.adapters.search.elasticsearch import ElasticsearchCourseSearch
from cmh.courses.adapters.search.memory import MemoryCourseSearch
from cmh.courses.adapters.search.postgres import PostgresCourseSearch
from cmh.courses.adapters.sql.migrations import COURSES_MIGRATIONS
from cmh.courses.application.ports import CourseSearch
from cmh.kernel.settings import DatabaseSettings
from cmh.kernel.sql.engine import make_engine, make_session_factory
from cmh.kernel.sql.migrate import KERNEL_MIGRATIONS, upgrade
from cmh_testing.kernel.servers import elasticsearch_url, fresh_postgres_database, unique_name


@pytest_asyncio.fixture(
    scope="module",
    loop_scope="module",
    params=[
        "memory",
        pytest.param("postgres", marks=pytest.mark.integration),
        pytest.param("elasticsearch", marks=pytest.mark.integration),
    ],
)
async def search_database(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    if request.param in ("memory", "elasticsearch"):
        yield request.param
        return
    async with fresh_postgres_database() as url:
        engine = make_engine(DatabaseSettings(url=url))
        await upgrade(engine, [KERNEL_MIGRATIONS, COURSES_MIGRATIONS])
        await engine.dispose()
        yield url


@pytest.fixture
async def search(search_database: str) -> AsyncIterator[CourseSearch]:
    if search_database == "memory":
        yield MemoryCourseSearch()
        return
    if search_database == "elasticsearch":
        client = AsyncElasticsearch(elasticsearch_url())
        index = unique_name("courses_contract")
        elastic = ElasticsearchCourseSearch(client, index)
        await elastic.ensure_index()
        yield elastic
        await client.indices.delete(index=index)
        await client.close()
        return
    engine = make_engine(DatabaseSettings(url=search_database, pool_size=2))
    async with make_session_factory(engine)() as session:
        yield PostgresCourseSearch(session)
        await session.rollback()  # each test starts from an empty index
    await engine.dispose()
