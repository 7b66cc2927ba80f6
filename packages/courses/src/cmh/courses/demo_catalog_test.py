from pathlib import Path

from cmh.courses.application.browse_catalog import BrowseCatalog, CatalogQuery
from cmh.courses.application.conftest import INSTRUCTOR, Kit
from cmh.courses.application.ports import CourseRepository
from cmh.courses.demo_catalog import DEMO_COURSES, DEMO_LAB_TEMPLATES, seed_demo_catalog
from cmh_testing.courses import build_courses_test_app


async def test_the_demo_catalog_is_seeded_once_and_searchable(tmp_path: Path) -> None:
    harness = await build_courses_test_app(tmp_path)
    labs = await harness.labs()
    for template_id in DEMO_LAB_TEMPLATES.values():
        labs.add_template(template_id, "demo-instructor")
    created = await seed_demo_catalog(harness.container)
    assert len(created) == len(DEMO_COURSES)
    assert await seed_demo_catalog(harness.container) == []
    await harness.drain()
    async with harness.container() as request:
        page = await (await request.get(BrowseCatalog)).execute(CatalogQuery())
    assert {"aws": 2, "azure": 1, "gcp": 1}.items() <= page.facets.provider.items()
    contents = await harness.contents()
    async with harness.container() as request:
        courses = [await (await request.get(CourseRepository)).get(c) for c in created]
    lessons = [(c.id, lesson.id) for c in courses if c for m in c.modules for lesson in m.lessons]
    assert len(lessons) == sum(len(ls) for demo in DEMO_COURSES for _, ls in demo.modules)
    assert all([await contents.get(course, lesson) is not None for course, lesson in lessons])
    documents = [await contents.get(course, lesson) for course, lesson in lessons]
    lab_refs = {document.lab_ref for document in documents if document and document.lab_ref}
    assert lab_refs == set(DEMO_LAB_TEMPLATES.values())
    await harness.container.close()


async def test_a_second_run_on_the_memory_profile_adds_nothing_and_says_so() -> None:
    kit = await Kit.open()
    for template_id in DEMO_LAB_TEMPLATES.values():
        kit.labs.add_template(template_id, INSTRUCTOR.user_id)
    lines: list[str] = []
    created = await seed_demo_catalog(
        kit.container, instructor_id=INSTRUCTOR.user_id, progress=lines.append
    )
    assert len(created) == len(DEMO_COURSES)
    assert lines[0] == f"seeding demo catalog 1/{len(DEMO_COURSES)}: {DEMO_COURSES[0].course.title}"
    events = len(kit.uow.committed)

    lines.clear()
    again = await seed_demo_catalog(
        kit.container, instructor_id=INSTRUCTOR.user_id, progress=lines.append
    )

    assert again == []
    assert len(kit.uow.committed) == events
    assert all("already there" in line for line in lines)
    assert len(lines) == len(DEMO_COURSES)
    await kit.close()
