"""One contract for every CourseSearch (see conftest): the in-memory index, PostgreSQL
full text and a real Elasticsearch node."""

from __future__ import annotations

from datetime import UTC, datetime

from cmh.courses.application.ports import CourseDocument, CourseSearch, SearchQuery

WHEN = datetime(2026, 2, 1, tzinfo=UTC)


def doc(
    course_id: str, title: str, provider: str, level: str, tags: list[str], summary: str = ""
) -> CourseDocument:
    return CourseDocument(
        id=course_id,
        title=title,
        summary=summary or f"All about {title}.",
        provider=provider,
        level=level,
        tags=tags,
        estimated_minutes=60,
        lesson_count=4,
        owner_id="t",
        published_at=WHEN,
    )


CATALOG = [
    doc("c1", "AWS Lambda Essentials", "aws", "beginner", ["serverless", "lambda"]),
    doc("c2", "Kubernetes on GKE", "gcp", "advanced", ["kubernetes", "containers"]),
    doc(
        "c3",
        "Azure Functions",
        "azure",
        "intermediate",
        ["serverless"],
        "Event driven code, like lambda.",
    ),
    doc("c4", "AWS Networking", "aws", "advanced", ["vpc"]),
]


async def indexed(search: CourseSearch) -> CourseSearch:
    # The first one alone, the rest as a rebuild does: both ways must search alike.
    await search.index(CATALOG[0])
    await search.index_all(CATALOG[1:])
    return search


async def test_everything_is_listed_in_title_order_with_facets(search: CourseSearch) -> None:
    result = await (await indexed(search)).search(SearchQuery())
    assert [d.id for d in result.documents] == ["c1", "c4", "c3", "c2"]
    assert result.total == 4
    assert result.facets.provider == {"aws": 2, "azure": 1, "gcp": 1}
    assert result.facets.level == {"advanced": 2, "beginner": 1, "intermediate": 1}
    assert result.facets.tags == {
        "containers": 1,
        "kubernetes": 1,
        "lambda": 1,
        "serverless": 2,
        "vpc": 1,
    }
    assert result.documents[0] == CATALOG[0]


async def test_text_matches_rank_title_hits_first(search: CourseSearch) -> None:
    result = await (await indexed(search)).search(SearchQuery(text="lambda"))
    assert [d.id for d in result.documents] == ["c1", "c3"]
    assert (await search.search(SearchQuery(text="kubernetes"))).total == 1
    assert (await search.search(SearchQuery(text="quantum"))).documents == []


async def test_filters_combine_and_facets_count_the_filtered_set(search: CourseSearch) -> None:
    await indexed(search)
    result = await search.search(SearchQuery(provider="aws", level="advanced"))
    assert [d.id for d in result.documents] == ["c4"]
    tagged = await search.search(SearchQuery(tag="serverless"))
    assert [d.id for d in tagged.documents] == ["c1", "c3"]
    assert tagged.facets.provider == {"aws": 1, "azure": 1}


async def test_pages_and_removal(search: CourseSearch) -> None:
    await indexed(search)
    page = await search.search(SearchQuery(offset=1, limit=2))
    assert ([d.id for d in page.documents], page.total) == (["c4", "c3"], 4)
    await search.remove("c4")
    await search.remove("never-indexed")
    await search.index(doc("c1", "AWS Lambda Essentials", "aws", "beginner", ["serverless"]))
    result = await search.search(SearchQuery())
    assert [d.id for d in result.documents] == ["c1", "c3", "c2"]
    assert result.facets.tags == {"containers": 1, "kubernetes": 1, "serverless": 2}
