"""A lab lesson refers to a labs template its author may use, and its enrolled learners
launch that template's lab through labs."""

import pytest

from cmh.courses.application.conftest import (
    ADMIN,
    INSTRUCTOR,
    LEARNER,
    OTHER_INSTRUCTOR,
    OTHER_LEARNER,
    Kit,
)
from cmh.courses.application.enroll_learner import EnrollLearner
from cmh.courses.application.launch_lesson_lab import LaunchLessonLab
from cmh.courses.application.put_lesson_content import ContentDraft, PutLessonContent
from cmh.courses.domain.errors import InvalidCourseData, NotEnrolled
from cmh.courses.domain.values import LessonKind
from cmh.kernel.errors import Conflict, Forbidden, NotFound


def put_content(kit: Kit) -> PutLessonContent:
    return PutLessonContent(kit.courses, kit.contents, kit.clock, kit.labs)


def launch(kit: Kit) -> LaunchLessonLab:
    return LaunchLessonLab(kit.courses, kit.enrollments, kit.contents, kit.labs)


async def lab_course(
    kit: Kit, template_id: str = "tpl-s3", level: str = "beginner"
) -> tuple[str, str, str]:
    """A published course with a lab lesson referring to ``template_id`` and a text one."""
    kit.labs.add_template(template_id, INSTRUCTOR.user_id, level=level)
    course = await kit.course_with_lessons((LessonKind.LAB, LessonKind.TEXT))
    lab, text = [lesson.id for module in course.modules for lesson in module.lessons]
    await put_content(kit).execute(
        INSTRUCTOR, course.id, lab, ContentDraft(blocks=(), lab_ref=template_id)
    )
    return course.id, lab, text


async def enroll(kit: Kit, course_id: str) -> None:
    await EnrollLearner(
        kit.courses, kit.enrollments, kit.progress, kit.entitlements, kit.uow, kit.clock, kit.ids
    ).execute(LEARNER, course_id)


async def test_an_enrolled_learner_launches_the_lessons_template(kit: Kit) -> None:
    course_id, lab, _ = await lab_course(kit)
    await enroll(kit, course_id)
    session = await launch(kit).execute(LEARNER, course_id, lab)
    assert (session.user_id, session.template_id, session.course_id, session.lesson_id) == (
        LEARNER.user_id,
        "tpl-s3",
        course_id,
        lab,
    )
    assert len(kit.labs.launches) == 1


async def test_only_enrolled_learners_and_the_courses_managers_launch(kit: Kit) -> None:
    course_id, lab, _ = await lab_course(kit)
    with pytest.raises(NotEnrolled):
        await launch(kit).execute(OTHER_LEARNER, course_id, lab)
    assert kit.labs.launches == []
    assert (await launch(kit).execute(INSTRUCTOR, course_id, lab)).user_id == INSTRUCTOR.user_id
    assert (await launch(kit).execute(ADMIN, course_id, lab)).user_id == ADMIN.user_id


async def test_a_lesson_without_a_lab_is_not_found(kit: Kit) -> None:
    course_id, _, text = await lab_course(kit)
    await enroll(kit, course_id)
    with pytest.raises(NotFound) as raised:
        await launch(kit).execute(LEARNER, course_id, text)
    assert raised.value.code == "lab_lesson_not_found"


async def test_labs_refusals_pass_through_with_their_codes(kit: Kit) -> None:
    course_id, lab, _ = await lab_course(kit, "tpl-ec2", level="advanced")
    await enroll(kit, course_id)
    with pytest.raises(Forbidden) as refused:
        await launch(kit).execute(LEARNER, course_id, lab)
    assert refused.value.code == "not_entitled"
    kit.labs.entitled.add(LEARNER.user_id)
    await launch(kit).execute(LEARNER, course_id, lab)
    with pytest.raises(Conflict) as running:
        await launch(kit).execute(LEARNER, course_id, lab)
    assert running.value.code == "lab_already_running"


async def test_a_lesson_refers_only_to_a_template_its_author_may_use(kit: Kit) -> None:
    course_id, lab, _ = await lab_course(kit)
    kit.labs.add_template("tpl-rival", OTHER_INSTRUCTOR.user_id)
    for template_id in ("tpl-rival", "tpl-missing"):
        with pytest.raises(InvalidCourseData) as refused:
            await put_content(kit).execute(
                INSTRUCTOR, course_id, lab, ContentDraft(blocks=(), lab_ref=template_id)
            )
        assert (refused.value.code, refused.value.field) == ("lab_template_not_found", "lab_ref")
    stored = await kit.contents.get(course_id, lab)
    assert stored is not None
    assert stored.lab_ref == "tpl-s3"
    # Admins may refer to any template.
    written = await put_content(kit).execute(
        ADMIN, course_id, lab, ContentDraft(blocks=(), lab_ref="tpl-rival")
    )
    assert written.lab_ref == "tpl-rival"
