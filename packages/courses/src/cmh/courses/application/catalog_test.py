import pytest

from cmh.courses.application.browse_catalog import BrowseCatalog, CatalogQuery
from cmh.courses.application.conftest import Kit
from cmh.courses.application.reindex_catalog import ReindexCatalog
from cmh.courses.application.sync_search_index import SyncSearchIndex
from cmh.courses.application.views import CatalogPage
from cmh.courses.domain.values import Level
from cmh.kernel.errors import InvalidInput


async def browse(kit: Kit, query: CatalogQuery) -> CatalogPage:
    return await kit.use(BrowseCatalog).execute(query)


async def test_pages_follow_the_cursor_to_the_end(kit: Kit) -> None:
    for n in range(5):
        await kit.course_with_lessons(title=f"Course number {n}")
    await kit.course_with_lessons(title="Hidden draft", publish=False)
    assert await kit.use(ReindexCatalog).execute() == 5
    seen: list[str] = []
    cursor = None
    while True:
        page = await browse(kit, CatalogQuery(cursor=cursor, limit=2))
        seen += [item.title for item in page.items]
        assert page.facets.provider == {"aws": 5}
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == [f"Course number {n}" for n in range(5)]


async def test_a_forged_cursor_is_refused(kit: Kit) -> None:
    with pytest.raises(InvalidInput) as raised:
        await kit.use(BrowseCatalog).execute(CatalogQuery(cursor="not-a-cursor!"))
    assert raised.value.field == "cursor"


async def test_the_indexer_follows_the_course_state(kit: Kit) -> None:
    course = await kit.course_with_lessons(level=Level.ADVANCED)
    indexer = kit.use(SyncSearchIndex)
    await indexer.execute([course.id])
    page = await browse(kit, CatalogQuery(level="advanced"))
    assert [item.id for item in page.items] == [course.id]
    kit.search.documents.clear()
    await indexer.execute([course.id])  # late or repeated: reads the state again
    assert list(kit.search.documents) == [course.id]


async def test_a_batch_syncs_each_course_it_names_once(kit: Kit) -> None:
    published = await kit.course_with_lessons()
    draft = await kit.course_with_lessons(publish=False)
    await kit.use(SyncSearchIndex).execute([published.id, published.id])
    kit.search.documents[draft.id] = kit.search.documents[published.id]  # a stale entry
    indexed: list[str] = []
    index = kit.search.index

    async def counting(document: object) -> None:
        indexed.append(document.id)  # type: ignore[attr-defined]
        await index(document)  # type: ignore[arg-type]

    kit.search.index = counting  # type: ignore[method-assign]
    await kit.use(SyncSearchIndex).execute([published.id, draft.id, published.id])
    assert indexed == [published.id]  # named twice, synced once
    assert list(kit.search.documents) == [published.id]  # the draft is not in the index
