"""The forum, measured (printed, never asserted):

1. Search latency p50/p99 over 100k posts in the real Elasticsearch node (infra/local),
   through the forum's adapter (one or two words, board filter on half the queries).
2. A thread page read (GET /api/v1/forum/threads/{id}, 30 posts) through the forum's API
   (token check, rights, the use case, the view) against a bare Litestar handler returning
   the same JSON, both in process over ASGI: the ratio is the forum's own cost.

    python -m tests.perf.forum_bench             (CMH_TEST_ELASTICSEARCH_URL for part 1)
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk
from litestar import Litestar, get

from cmh.forum.adapters.search.elasticsearch import ElasticsearchPostSearch, index_mapping
from cmh.forum.application.open_course_board import course_board_id
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh_testing.forum import build_forum_test_app, delivered

POSTS = int(os.environ.get("CMH_BENCH_FORUM_POSTS", "100000"))
QUERIES = 400
READS = 400
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
WORDS = [
    "lambda",
    "s3",
    "bucket",
    "vpc",
    "subnet",
    "iam",
    "role",
    "policy",
    "glacier",
    "archive",
    "kubernetes",
    "pod",
    "node",
    "cluster",
    "azure",
    "blob",
    "function",
    "queue",
    "topic",
    "kafka",
    "timeout",
    "memory",
    "region",
    "zone",
    "backup",
    "restore",
    "snapshot",
    "encryption",
    "key",
    "billing",
    "budget",
    "alarm",
    "metric",
    "log",
    "trace",
    "cache",
    "redis",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


async def search_latency(url: str) -> None:
    client = AsyncElasticsearch(url, request_timeout=120)
    index = f"forum_bench_{random.randrange(10**8)}"
    await client.indices.create(
        index=index, mappings=index_mapping(), settings={"refresh_interval": "-1"}
    )
    rng = random.Random(7)

    def actions() -> Any:
        for n in range(POSTS):
            yield {
                "_index": index,
                "_id": f"p{n}",
                "_source": {
                    "post_id": f"p{n}",
                    "thread_id": f"t{n // 10}",
                    "board_id": f"course-c{n % 20}",
                    "author_id": f"u{n % 500}",
                    "title": " ".join(rng.choices(WORDS, k=5)),
                    "body": " ".join(rng.choices(WORDS, k=40)),
                    "created_at": (NOW + timedelta(seconds=n)).isoformat(),
                },
            }

    started = time.perf_counter()
    await async_bulk(client, actions(), chunk_size=2000)
    await client.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
    await client.indices.refresh(index=index)
    loaded = time.perf_counter() - started
    search = ElasticsearchPostSearch(client, index)
    latencies = []
    for n in range(QUERIES):
        text = " ".join(rng.choices(WORDS, k=1 + n % 2))
        board = f"course-c{n % 20}" if n % 2 else None
        t0 = time.perf_counter()
        await search.search(text, board, 20)
        latencies.append((time.perf_counter() - t0) * 1000)
    print(
        f"search, {POSTS} posts in Elasticsearch 9.5.3 (bulk load {loaded:.1f} s): "
        f"p50 {percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms "
        f"over {QUERIES} queries"
    )
    await client.indices.delete(index=index)
    await client.close()


async def timed(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[float]:
    for _ in range(20):  # warm up
        await client.get(path, headers=headers)
    out = []
    for _ in range(READS):
        t0 = time.perf_counter()
        response = await client.get(path, headers=headers)
        out.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    return out


async def thread_read() -> None:
    with tempfile.TemporaryDirectory() as folder:
        forum = await build_forum_test_app(Path(folder), FrozenClock(NOW))
        members = await forum.members()
        members.teach("c1", "teacher")
        from cmh.contracts.events.courses import CoursePublishedV1

        await delivered(
            forum.container,
            CoursePublishedV1(
                course_id="c1", owner_id="teacher", title="Bench", provider="aws",
                level="beginner", tags=[], published_at=NOW,
            ),
            "bench-published",
        )  # fmt: skip
        teacher = Principal(user_id="teacher", roles=frozenset({"instructor"}))
        auth = forum.auth(teacher)
        transport = httpx.ASGITransport(app=forum.app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://forum") as client:
            created = await client.post(
                f"/api/v1/forum/boards/{course_board_id('c1')}/threads",
                json={"title": "A long thread", "body": "Let us talk about **S3**."},
                headers=auth,
            )
            thread_id = created.json()["id"]
            for n in range(29):
                await client.post(
                    f"/api/v1/forum/threads/{thread_id}/replies",
                    json={"body": f"Reply {n}: try `aws s3 ls` and [the docs](https://docs.aws)."},
                    headers=auth,
                )
            path = f"/api/v1/forum/threads/{thread_id}"
            body = (await client.get(path, headers=auth)).content
            ours = await timed(client, path, auth)

        @get("/api/v1/forum/threads/{thread_id:str}", media_type="application/json")
        async def bare(thread_id: str) -> bytes:
            return body

        baseline = Litestar([bare])
        transport = httpx.ASGITransport(app=baseline)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://bare") as client:
            theirs = await timed(client, path, {})
        await forum.container.close()
    print(
        f"thread page read (30 posts, {len(body)} bytes): forum API p50 "
        f"{statistics.median(ours):.2f} ms, p99 {percentile(ours, 0.99):.2f} ms; bare Litestar "
        f"handler p50 {statistics.median(theirs):.2f} ms; ratio "
        f"{statistics.median(ours) / statistics.median(theirs):.1f}x (no read cache yet: "
        "uncached only)"
    )


async def main() -> None:
    await thread_read()
    url = os.environ.get("CMH_TEST_ELASTICSEARCH_URL")
    if url:
        await search_latency(url)
    else:
        print("search: CMH_TEST_ELASTICSEARCH_URL not set (source infra/local/env.sh)")


if __name__ == "__main__":
    asyncio.run(main())
