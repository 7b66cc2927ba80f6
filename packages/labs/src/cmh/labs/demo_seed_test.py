from cmh.kernel.clock import FrozenClock
from cmh.labs.application.conftest import INSTRUCTOR, LEARNER, START
from cmh.labs.application.get_template import GetTemplate
from cmh.labs.demo_seed import DEMO_TEMPLATES, seed_demo_templates
from cmh_testing.labs import memory_labs


async def test_the_demo_templates_are_valid_seeded_once_and_owned_by_the_instructor() -> None:
    container = memory_labs(FrozenClock(START))
    created = await seed_demo_templates(container, owner_id=INSTRUCTOR.user_id)
    assert created == list(DEMO_TEMPLATES)
    lines: list[str] = []
    again = await seed_demo_templates(container, owner_id=INSTRUCTOR.user_id, progress=lines.append)
    assert again == []
    assert lines == [
        f"demo lab template {index}/{len(DEMO_TEMPLATES)} already there"
        for index in range(1, len(DEMO_TEMPLATES) + 1)
    ]
    async with container() as request:
        get = await request.get(GetTemplate)
        views = [await get.execute(LEARNER, template_id) for template_id in created]
    assert {view.provider for view in views} == {"aws", "azure", "gcp"}
    assert {view.owner_id for view in views} == {INSTRUCTOR.user_id}
    await container.close()
