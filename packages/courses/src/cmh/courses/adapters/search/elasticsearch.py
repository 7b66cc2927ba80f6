"""Course search in Elasticsearch (the distributed profile's search): analysed text (the
``standard`` analyzer by default, which every node has; ``english`` where the cluster carries
the analysis-common module), keyword facets as ``terms`` aggregations over the same filtered
query. The index mapping and the query body are plain functions, tested without a cluster."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from elasticsearch import AsyncElasticsearch, NotFoundError

from cmh.courses.application.ports import CourseDocument, Facets, SearchQuery, SearchResult

# Documents per bulk request when the catalog is rebuilt.
BULK_CHUNK = 500
FACET_SIZES = {"provider": 10, "level": 10, "tags": 100}


def index_mapping(analyzer: str = "standard") -> dict[str, Any]:
    keyword = {"type": "keyword"}
    return {
        "properties": {
            "id": keyword,
            "title": {"type": "text", "analyzer": analyzer},
            "title_sort": keyword,
            "summary": {"type": "text", "analyzer": analyzer},
            "provider": keyword,
            "level": keyword,
            "tags": keyword,
            "estimated_minutes": {"type": "integer"},
            "lesson_count": {"type": "integer"},
            "owner_id": keyword,
            "published_at": {"type": "date"},
        }
    }


def to_source(document: CourseDocument) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "title_sort": document.title.lower(),
        "summary": document.summary,
        "provider": document.provider,
        "level": document.level,
        "tags": list(document.tags),
        "estimated_minutes": document.estimated_minutes,
        "lesson_count": document.lesson_count,
        "owner_id": document.owner_id,
        "published_at": document.published_at.isoformat(),
    }


def build_search(query: SearchQuery) -> dict[str, Any]:
    filters: list[dict[str, Any]] = [
        {"term": {field: value}}
        for field, value in (
            ("provider", query.provider),
            ("level", query.level),
            ("tags", query.tag),
        )
        if value
    ]
    must: list[dict[str, Any]] = (
        [
            {
                "multi_match": {
                    "query": query.text,
                    "fields": ["title^3", "tags^2", "summary"],
                    "operator": "and",
                }
            }
        ]
        if query.text
        else [{"match_all": {}}]
    )
    return {
        "query": {"bool": {"must": must, "filter": filters}},
        "sort": [{"_score": "desc"}, {"title_sort": "asc"}, {"id": "asc"}],
        "from": query.offset,
        "size": query.limit,
        "track_total_hits": True,
        "aggs": {
            name: {"terms": {"field": name, "size": size}} for name, size in FACET_SIZES.items()
        },
    }


def parse_search(response: dict[str, Any]) -> SearchResult:
    hits = response["hits"]
    aggregations = response.get("aggregations", {})

    def buckets(name: str) -> dict[str, int]:
        found = aggregations.get(name, {}).get("buckets", [])
        return {
            str(b["key"]): int(b["doc_count"]) for b in sorted(found, key=lambda b: str(b["key"]))
        }

    documents = []
    for hit in hits["hits"]:
        source = dict(hit["_source"])
        source.pop("title_sort", None)
        documents.append(_document(source))
    return SearchResult(
        documents=documents,
        total=int(hits["total"]["value"]),
        facets=Facets(provider=buckets("provider"), level=buckets("level"), tags=buckets("tags")),
    )


def _document(source: dict[str, Any]) -> CourseDocument:
    return msgspec.convert(source, CourseDocument, strict=False)


class ElasticsearchCourseSearch:
    def __init__(self, client: AsyncElasticsearch, index: str, analyzer: str = "standard") -> None:
        self._client = client
        self._index = index
        self._analyzer = analyzer

    @property
    def index_name(self) -> str:
        return self._index

    async def ensure_index(self) -> None:
        if not await self._client.indices.exists(index=self._index):
            await self._client.indices.create(
                index=self._index, mappings=index_mapping(self._analyzer)
            )

    async def index(self, document: CourseDocument) -> None:
        await self._client.index(
            index=self._index, id=document.id, document=to_source(document), refresh="wait_for"
        )

    async def index_all(self, documents: Sequence[CourseDocument]) -> None:
        # One bulk request per chunk and one refresh at the end: a rebuild indexing each
        # document with ``refresh="wait_for"`` waited a refresh interval (1 s) per course.
        if not documents:
            return
        for start in range(0, len(documents), BULK_CHUNK):
            chunk = documents[start : start + BULK_CHUNK]
            operations: list[dict[str, Any]] = []
            for document in chunk:
                operations.append({"index": {"_index": self._index, "_id": document.id}})
                operations.append(to_source(document))
            answer = await self._client.bulk(operations=operations)
            if answer.get("errors"):
                failed = [i["index"] for i in answer["items"] if i["index"].get("error")]
                raise RuntimeError(f"{len(failed)} of {len(chunk)} not indexed: {failed[:3]}")
        await self._client.indices.refresh(index=self._index)

    async def remove(self, course_id: str) -> None:
        try:
            await self._client.delete(index=self._index, id=course_id, refresh="wait_for")
        except NotFoundError:
            return

    async def search(self, query: SearchQuery) -> SearchResult:
        body = build_search(query)
        response = await self._client.search(
            index=self._index,
            query=body["query"],
            sort=body["sort"],
            from_=body["from"],
            size=body["size"],
            track_total_hits=body["track_total_hits"],
            aggs=body["aggs"],
        )
        return parse_search(dict(response.body))
