import pytest

from cmh.contracts.events.courses import CourseArchivedV1, CoursePublishedV1, CourseUpdatedV1
from cmh.courses.application.add_module import AddModule
from cmh.courses.application.archive_course import ArchiveCourse
from cmh.courses.application.conftest import ADMIN, INSTRUCTOR, LEARNER, OTHER_INSTRUCTOR, Kit
from cmh.courses.application.create_course import CreateCourse, NewCourse
from cmh.courses.application.get_course import GetCourse
from cmh.courses.application.publish_course import PublishCourse
from cmh.courses.application.reorder_lessons import ReorderLessons
from cmh.courses.application.reorder_modules import ReorderModules
from cmh.courses.application.update_course import CourseRevision, UpdateCourse
from cmh.courses.domain.errors import CourseNotFound, InvalidCourseData
from cmh.courses.domain.values import CloudProvider, LessonKind, Level
from cmh.kernel.errors import Forbidden


async def test_learners_cannot_author(kit: Kit) -> None:
    with pytest.raises(Forbidden):
        await kit.use(CreateCourse).execute(
            LEARNER,
            NewCourse(title="Mine", summary="", provider=CloudProvider.GCP, level=Level.BEGINNER),
        )


async def test_only_the_owner_or_an_admin_edits(kit: Kit) -> None:
    course = await kit.course_with_lessons(publish=False)
    update = kit.use(UpdateCourse)
    with pytest.raises(CourseNotFound):  # someone else's draft is not disclosed
        await update.execute(OTHER_INSTRUCTOR, course.id, CourseRevision(title="Taken over"))
    await kit.use(PublishCourse).execute(INSTRUCTOR, course.id)
    with pytest.raises(Forbidden):
        await update.execute(OTHER_INSTRUCTOR, course.id, CourseRevision(title="Taken over"))
    changed = await update.execute(ADMIN, course.id, CourseRevision(title="Renamed", tags=("S3",)))
    assert (changed.title, changed.tags) == ("Renamed", ["s3"])


async def test_publish_and_archive_record_their_events(kit: Kit) -> None:
    course = await kit.course_with_lessons()
    assert course.status == "published"
    [published] = kit.uow.events_of(CoursePublishedV1)
    assert isinstance(published, CoursePublishedV1)
    assert published.course_id == course.id
    archived = await kit.use(ArchiveCourse).execute(ADMIN, course.id)
    assert archived.status == "archived"
    assert len(kit.uow.events_of(CourseArchivedV1)) == 1


async def test_drafts_are_visible_to_their_owner_and_admins_only(kit: Kit) -> None:
    course = await kit.course_with_lessons(publish=False)
    get = kit.use(GetCourse)
    for outsider in (None, LEARNER, OTHER_INSTRUCTOR):
        with pytest.raises(CourseNotFound):
            await get.execute(outsider, course.id)
    for insider in (INSTRUCTOR, ADMIN):
        seen = await get.execute(insider, course.id)
        assert seen.status == "draft"


async def test_a_published_course_is_served_from_cache_until_written(kit: Kit) -> None:
    course = await kit.course_with_lessons()
    get = kit.use(GetCourse)
    first = await get.execute(None, course.id)
    kit.courses.rows[course.id].title = "Changed behind the cache"
    assert await get.execute(None, course.id) == first
    await kit.use(UpdateCourse).execute(
        INSTRUCTOR, course.id, CourseRevision(summary="New summary")
    )
    fresh = await get.execute(None, course.id)
    assert fresh.summary == "New summary"


async def test_reordering_is_stored_announced_and_refreshes_the_cached_course(kit: Kit) -> None:
    course = await kit.course_with_lessons(kinds=(LessonKind.TEXT, LessonKind.QUIZ))
    get = kit.use(GetCourse)
    await get.execute(None, course.id)  # cached
    basics = course.modules[0].id
    extra = await kit.use(AddModule).execute(INSTRUCTOR, course.id, "Extra")
    updates = len(kit.uow.events_of(CourseUpdatedV1))
    moved = await kit.use(ReorderModules).execute(INSTRUCTOR, course.id, [extra.id, basics])
    assert [m.title for m in moved.modules] == ["Extra", "Basics"]
    first, second = (lesson.id for lesson in course.modules[0].lessons)
    await kit.use(ReorderLessons).execute(ADMIN, course.id, basics, [second, first])
    assert len(kit.uow.events_of(CourseUpdatedV1)) == updates + 2
    seen = await get.execute(None, course.id)
    assert [m.title for m in seen.modules] == ["Extra", "Basics"]
    assert [lesson.id for lesson in seen.modules[1].lessons] == [second, first]


async def test_reordering_is_for_the_owner_and_moves_only_what_exists(kit: Kit) -> None:
    course = await kit.course_with_lessons()
    basics = course.modules[0].id
    with pytest.raises(Forbidden):
        await kit.use(ReorderModules).execute(OTHER_INSTRUCTOR, course.id, [basics])
    with pytest.raises(Forbidden):
        await kit.use(ReorderLessons).execute(LEARNER, course.id, basics, [])
    with pytest.raises(InvalidCourseData):
        await kit.use(ReorderModules).execute(INSTRUCTOR, course.id, [basics, basics])
