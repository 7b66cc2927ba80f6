"""Post search in Algolia (official ``algoliasearch`` client, v4): one record per post
(``objectID`` = post id) with the title, the Markdown body and the board as a filter
attribute; writes wait for their indexing task so that a handled event is searchable."""

from __future__ import annotations

from algoliasearch.http.hosts import Host, HostsCollection
from algoliasearch.search.client import SearchClient
from algoliasearch.search.config import SearchConfig

from cmh.forum.application.ports import PostDocument, SearchHit


def algolia_client(app_id: str, api_key: str, host: str = "") -> SearchClient:
    """``host``: ``http://127.0.0.1:PORT`` for a local stand-in; empty: Algolia itself."""
    config = SearchConfig(app_id, api_key)
    if host:
        scheme, _, rest = host.partition("://")
        name, _, port = rest.partition(":")
        config.hosts = HostsCollection(
            [Host(name, scheme=scheme, port=int(port) if port else None)]
        )
    return SearchClient.create_with_config(config)


class AlgoliaPostSearch:
    def __init__(self, client: SearchClient, index: str) -> None:
        self._client = client
        self._index = index

    async def index(self, document: PostDocument) -> None:
        saved = await self._client.add_or_update_object(
            self._index,
            document.post_id,
            {
                "thread_id": document.thread_id,
                "board_id": document.board_id,
                "author_id": document.author_id,
                "title": document.title,
                "body": document.body,
                "created_at": int(document.created_at.timestamp()),
            },
        )
        if saved.task_id is not None:
            await self._client.wait_for_task(self._index, saved.task_id)

    async def remove(self, post_id: str) -> None:
        deleted = await self._client.delete_object(self._index, post_id)
        await self._client.wait_for_task(self._index, deleted.task_id)

    async def search(self, text: str, board_id: str | None, limit: int) -> list[SearchHit]:
        if not text.strip():
            return []
        params: dict[str, object] = {"query": text, "hitsPerPage": limit}
        if board_id:
            params["filters"] = f'board_id:"{board_id}"'
        response = await self._client.search_single_index(self._index, params)
        hits = []
        for hit in response.hits:
            record = hit.to_dict()
            hits.append(
                SearchHit(
                    post_id=str(record["objectID"]),
                    thread_id=str(record["thread_id"]),
                    board_id=str(record["board_id"]),
                    title=str(record["title"]),
                )
            )
        return hits
