"""The search index follows post events: a new, edited or shown-again post is (re)indexed
from the stored thread; a deleted or hidden one leaves the index."""

from __future__ import annotations

from cmh.forum.application.ports import PostDocument, PostSearch, ThreadStore


class IndexPosts:
    def __init__(self, search: PostSearch, threads: ThreadStore) -> None:
        self._search = search
        self._threads = threads

    async def execute(self, thread_id: str, post_id: str) -> None:
        thread = await self._threads.get(thread_id)
        post = next((p for p in thread.posts if p.id == post_id), None) if thread else None
        if thread is None or post is None or not post.visible or not thread.opening.visible:
            await self._search.remove(post_id)
            return
        await self._search.index(
            PostDocument(
                post_id=post.id,
                thread_id=thread.id,
                board_id=thread.board_id,
                title=thread.title,
                body=post.body.markdown,
                author_id=post.author_id,
                created_at=post.created_at,
            )
        )
