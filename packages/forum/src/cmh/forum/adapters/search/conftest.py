"""The post search contract runs against the in-memory index, a real Elasticsearch node
(an index of its own per test) and the Algolia adapter against a local fake of Algolia's
documented REST API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from elasticsearch import AsyncElasticsearch

from cmh.forum.adapters.search.algolia import AlgoliaPostSearch, algolia_client
from cmh.forum.adapters.search.elasticsearch import ElasticsearchPostSearch
from cmh.forum.adapters.search.memory import MemoryPostSearch
from cmh.forum.application.ports import PostSearch
from cmh_testing.forum.fake_algolia import running_fake_algolia
from cmh_testing.kernel.servers import elasticsearch_url, unique_name


@pytest.fixture(
    params=["memory", "algolia", pytest.param("elasticsearch", marks=pytest.mark.integration)]
)
async def search(request: pytest.FixtureRequest) -> AsyncIterator[PostSearch]:
    if request.param == "memory":
        yield MemoryPostSearch()
        return
    if request.param == "algolia":
        async with running_fake_algolia() as (fake, port):
            algolia = algolia_client(fake.app_id, fake.api_key, f"http://127.0.0.1:{port}")
            yield AlgoliaPostSearch(algolia, "forum_posts")
            await algolia.close()
        return
    client = AsyncElasticsearch(elasticsearch_url())
    index = unique_name("forum_posts_test")
    elastic = ElasticsearchPostSearch(client, index)
    await elastic.ensure_index()
    yield elastic
    await client.indices.delete(index=index)
    await client.close()
