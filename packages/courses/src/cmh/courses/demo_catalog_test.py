from pathlib import Path

from cmh.courses.application.browse_catalog import BrowseCatalog, CatalogQuery
from cmh.courses.demo_catalog import DEMO_COURSES, seed_demo_catalog
from cmh_testing.courses import build_courses_test_app


async def test_the_demo_catalog_is_seeded_once_and_searchable(tmp_path: Path) -> None:
    harness = await build_courses_test_app(tmp_path)
    created = await seed_demo_catalog(harness.container)
    assert len(created) == len(DEMO_COURSES)
    assert await seed_demo_catalog(harness.container) == []
    await harness.drain()
    async with harness.container() as request:
        page = await (await request.get(BrowseCatalog)).execute(CatalogQuery())
    assert {"aws": 2, "azure": 1, "gcp": 1}.items() <= page.facets.provider.items()
    assert len((await harness.contents()).documents) == sum(  # type: ignore[attr-defined]
        len(lessons) for demo in DEMO_COURSES for _, lessons in demo.modules
    )
    await harness.container.close()
