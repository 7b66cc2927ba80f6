"""Post search in Elasticsearch: title and body analysed with the ``standard`` analyzer
(every node has it), board as a keyword filter, every word required."""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError

from cmh.forum.application.ports import PostDocument, SearchHit


def index_mapping() -> dict[str, Any]:
    keyword = {"type": "keyword"}
    return {
        "properties": {
            "post_id": keyword,
            "thread_id": keyword,
            "board_id": keyword,
            "author_id": keyword,
            "title": {"type": "text", "analyzer": "standard"},
            "body": {"type": "text", "analyzer": "standard"},
            "created_at": {"type": "date"},
        }
    }


def build_query(text: str, board_id: str | None) -> dict[str, Any]:
    return {
        "bool": {
            "must": [
                {"multi_match": {"query": text, "fields": ["title^2", "body"], "operator": "and"}}
            ],
            "filter": [{"term": {"board_id": board_id}}] if board_id else [],
        }
    }


class ElasticsearchPostSearch:
    def __init__(self, client: AsyncElasticsearch, index: str) -> None:
        self._client = client
        self._index = index

    async def ensure_index(self) -> None:
        if not await self._client.indices.exists(index=self._index):
            await self._client.indices.create(index=self._index, mappings=index_mapping())

    async def index(self, document: PostDocument) -> None:
        source = {
            "post_id": document.post_id,
            "thread_id": document.thread_id,
            "board_id": document.board_id,
            "author_id": document.author_id,
            "title": document.title,
            "body": document.body,
            "created_at": document.created_at.isoformat(),
        }
        await self._client.index(
            index=self._index, id=document.post_id, document=source, refresh="wait_for"
        )

    async def remove(self, post_id: str) -> None:
        try:
            await self._client.delete(index=self._index, id=post_id, refresh="wait_for")
        except NotFoundError:
            return

    async def search(self, text: str, board_id: str | None, limit: int) -> list[SearchHit]:
        if not text.strip():
            return []
        response = await self._client.search(
            index=self._index,
            query=build_query(text, board_id),
            sort=[{"_score": "desc"}, {"created_at": "desc"}, {"post_id": "asc"}],
            size=limit,
        )
        return [
            SearchHit(
                post_id=hit["_source"]["post_id"],
                thread_id=hit["_source"]["thread_id"],
                board_id=hit["_source"]["board_id"],
                title=hit["_source"]["title"],
            )
            for hit in response.body["hits"]["hits"]
        ]
