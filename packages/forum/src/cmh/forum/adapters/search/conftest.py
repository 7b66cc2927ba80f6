"""The post search contract runs against the in-memory index and a real Elasticsearch
node (an index of its own per test)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from elasticsearch import AsyncElasticsearch

from cmh.forum.adapters.search.elasticsearch import ElasticsearchPostSearch
from cmh.forum.adapters.search.memory import MemoryPostSearch
from cmh.forum.application.ports import PostSearch
from cmh_testing.kernel.servers import elasticsearch_url, unique_name


@pytest.fixture(params=["memory", pytest.param("elasticsearch", marks=pytest.mark.integration)])
async def search(request: pytest.FixtureRequest) -> AsyncIterator[PostSearch]:
    if request.param == "memory":
        yield MemoryPostSearch()
        return
    client = AsyncElasticsearch(elasticsearch_url())
    index = unique_name("forum_posts_test")
    elastic = ElasticsearchPostSearch(client, index)
    await elastic.ensure_index()
    yield elastic
    await client.indices.delete(index=index)
    await client.close()
