"""One contract for every PostSearch (see conftest)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmh.forum.application.ports import PostDocument, PostSearch

WHEN = datetime(2026, 3, 1, tzinfo=UTC)


def post(post_id: str, board: str, title: str, body: str, minutes: int = 0) -> PostDocument:
    return PostDocument(
        post_id=post_id,
        thread_id=f"t-{post_id}",
        board_id=board,
        title=title,
        body=body,
        author_id="ana",
        created_at=WHEN + timedelta(minutes=minutes),
    )


async def test_every_word_must_match_and_title_hits_rank_first(search: PostSearch) -> None:
    await search.index(post("p1", "b1", "Lambda cold starts", "How slow are they?"))
    await search.index(post("p2", "b1", "VPC peering", "My lambda cannot reach the VPC", 1))
    await search.index(post("p3", "b2", "Billing", "Where is the invoice?", 2))
    assert [h.post_id for h in await search.search("lambda", None, 10)] == ["p1", "p2"]
    assert [h.post_id for h in await search.search("lambda vpc", None, 10)] == ["p2"]
    assert await search.search("quantum", None, 10) == []
    [hit] = await search.search("invoice", "b2", 10)
    assert (hit.thread_id, hit.board_id, hit.title) == ("t-p3", "b2", "Billing")
    assert await search.search("invoice", "b1", 10) == []


async def test_a_removed_post_is_no_longer_found_and_reindexing_replaces(
    search: PostSearch,
) -> None:
    await search.index(post("p1", "b1", "Lambda cold starts", "slow"))
    await search.remove("p1")
    await search.remove("never-indexed")
    assert await search.search("lambda", None, 10) == []
    await search.index(post("p2", "b1", "S3 question", "buckets"))
    await search.index(post("p2", "b1", "S3 question", "versioning"))
    assert await search.search("buckets", None, 10) == []
    assert [h.post_id for h in await search.search("versioning", None, 10)] == ["p2"]
