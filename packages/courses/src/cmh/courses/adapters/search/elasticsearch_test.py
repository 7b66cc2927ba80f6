from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from elasticsearch import AsyncElasticsearch

from cmh.courses.adapters.search.elasticsearch import (
    ElasticsearchCourseSearch,
    build_search,
    index_mapping,
    parse_search,
)
from cmh.courses.adapters.search.search_contract_test import CATALOG
from cmh.courses.application.ports import SearchQuery
from cmh_testing.kernel.servers import elasticsearch_url, unique_name


def test_the_mapping_makes_facets_keywords_and_text_analysed() -> None:
    properties = index_mapping()["properties"]
    assert {properties[f]["type"] for f in ("provider", "level", "tags", "id", "title_sort")} == {
        "keyword"
    }
    assert properties["title"] == {"type": "text", "analyzer": "standard"}
    assert index_mapping("english")["properties"]["summary"]["analyzer"] == "english"


def test_a_query_filters_on_keywords_and_matches_every_word() -> None:
    body = build_search(
        SearchQuery(text="lambda basics", provider="aws", tag="serverless", offset=20, limit=10)
    )
    assert body["query"]["bool"]["filter"] == [
        {"term": {"provider": "aws"}},
        {"term": {"tags": "serverless"}},
    ]
    [match] = body["query"]["bool"]["must"]
    assert match["multi_match"]["operator"] == "and"
    assert match["multi_match"]["fields"][0] == "title^3"
    assert (body["from"], body["size"], body["track_total_hits"]) == (20, 10, True)
    assert body["aggs"]["tags"] == {"terms": {"field": "tags", "size": 100}}


def test_no_text_matches_all_in_title_order() -> None:
    body = build_search(SearchQuery())
    assert body["query"]["bool"] == {"must": [{"match_all": {}}], "filter": []}
    assert body["sort"][1:] == [{"title_sort": "asc"}, {"id": "asc"}]


def test_a_documented_response_is_parsed_with_its_buckets() -> None:
    response = {
        "hits": {"total": {"value": 7, "relation": "eq"}, "hits": []},
        "aggregations": {
            "provider": {
                "buckets": [{"key": "gcp", "doc_count": 2}, {"key": "aws", "doc_count": 5}]
            }
        },
    }
    result = parse_search(response)
    assert (result.total, result.facets.provider, result.facets.tags) == (
        7,
        {"aws": 5, "gcp": 2},
        {},
    )


@pytest.fixture
async def cluster() -> AsyncIterator[tuple[AsyncElasticsearch, ElasticsearchCourseSearch]]:
    client = AsyncElasticsearch(elasticsearch_url())
    index = unique_name("courses_test")
    search = ElasticsearchCourseSearch(client, index)
    await search.ensure_index()
    await search.ensure_index()
    yield client, search
    await client.indices.delete(index=index)
    await client.close()


@pytest.mark.integration
async def test_the_adapter_indexes_searches_and_removes_on_a_real_node(
    cluster: tuple[AsyncElasticsearch, ElasticsearchCourseSearch],
) -> None:
    client, search = cluster
    [mapping] = (await client.indices.get_mapping(index=search.index_name)).body.values()
    assert mapping["mappings"] == index_mapping()
    for document in CATALOG:
        await search.index(document)
    everything = await search.search(SearchQuery())
    assert [d.id for d in everything.documents] == ["c1", "c4", "c3", "c2"]
    assert everything.documents[0] == CATALOG[0]
    assert everything.facets.provider == {"aws": 2, "azure": 1, "gcp": 1}
    assert everything.facets.tags["serverless"] == 2
    found = await search.search(SearchQuery(text="lambda"))
    assert [d.id for d in found.documents] == ["c1", "c3"]
    filtered = await search.search(SearchQuery(provider="aws", level="advanced"))
    assert [d.id for d in filtered.documents] == ["c4"]
    page = await search.search(SearchQuery(offset=1, limit=2))
    assert ([d.id for d in page.documents], page.total) == (["c4", "c3"], 4)
    await search.remove("c4")
    await search.remove("c4")
    assert (await search.search(SearchQuery(provider="aws"))).total == 1
