"""The search index follows post events: new threads and replies are indexed, edits
re-indexed, deleted or hidden posts removed."""

from __future__ import annotations

from cmh.forum.application.ports import PostDocument, PostSearch, ThreadStore
from cmh.forum.domain.events import PostEdited, PostRemoved, ReplyPosted, ThreadStarted


class IndexPosts:
    def __init__(self, search: PostSearch, threads: ThreadStore) -> None:
        self._search = search
        self._threads = threads

    async def execute(self, event: ThreadStarted | ReplyPosted | PostEdited | PostRemoved) -> None:
        if isinstance(event, PostRemoved):
            await self._search.remove(event.post_id)
            return
        thread = await self._threads.get(event.thread_id)
        if thread is None:
            return
        post = next((p for p in thread.posts if p.id == event.post_id), None)
        if post is None or not post.visible:
            await self._search.remove(event.post_id)
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
