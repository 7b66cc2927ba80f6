"""Demo courses, in both profiles (the embedded platform's start and the distributed
profile's seed job): AWS, Azure and GCP courses with modules, lessons of every kind and
their content documents, published.

Idempotent: a demo course the demo instructor has already published (by its title) is
skipped, so a second run over the same database adds nothing and says so."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from dishka import AsyncContainer

from cmh.courses.application.add_lesson import AddLesson, NewLesson
from cmh.courses.application.add_module import AddModule
from cmh.courses.application.create_course import CreateCourse, NewCourse
from cmh.courses.application.ports import ContentBlock, CourseRepository
from cmh.courses.application.publish_course import PublishCourse
from cmh.courses.application.put_lesson_content import ContentDraft, PutLessonContent
from cmh.courses.domain.values import CloudProvider, LessonKind, Level
from cmh.kernel.auth.principal import Principal
from cmh.kernel.module import Progress

V, T, L, Q = LessonKind.VIDEO, LessonKind.TEXT, LessonKind.LAB, LessonKind.QUIZ

# The labs demo templates (cmh.labs.demo_seed, seeded before the catalog, owned by the
# same demo instructor) each lab lesson refers to, by the lesson's title.
DEMO_LAB_TEMPLATES = {
    "Version a logs bucket on S3": "demo-lab-aws-s3-versioning",
    "Compare: a web server on EC2": "demo-lab-aws-ec2-web-server",
    "Deploy a web app": "demo-lab-azure-storage",
    "Version build artifacts": "demo-lab-gcp-bucket",
}


@dataclass(frozen=True)
class DemoCourse:
    course: NewCourse
    modules: tuple[tuple[str, tuple[tuple[str, LessonKind, int], ...]], ...]


DEMO_COURSES = (
    DemoCourse(
        NewCourse(
            title="AWS Cloud Practitioner Essentials",
            provider=CloudProvider.AWS,
            level=Level.BEGINNER,
            summary="Core AWS services, billing and the shared responsibility model.",
            tags=("aws", "ec2", "s3", "iam", "certification"),
        ),
        (
            (
                "Cloud concepts",
                (
                    ("What the cloud is", V, 8),
                    ("Regions and availability zones", T, 6),
                    ("Check your understanding", Q, 5),
                ),
            ),
            (
                "Compute and storage",
                (("Launching EC2 instances", V, 12), ("Version a logs bucket on S3", L, 30)),
            ),
        ),
    ),
    DemoCourse(
        NewCourse(
            title="Serverless Applications with AWS Lambda",
            provider=CloudProvider.AWS,
            level=Level.INTERMEDIATE,
            summary="Build event-driven APIs with Lambda, API Gateway and DynamoDB.",
            tags=("aws", "lambda", "serverless", "dynamodb"),
            prerequisites=("AWS Cloud Practitioner Essentials",),
        ),
        (
            (
                "Functions",
                (("Anatomy of a Lambda function", V, 10), ("Cold starts explained", T, 7)),
            ),
            (
                "An API end to end",
                (("Compare: a web server on EC2", L, 40), ("Serverless quiz", Q, 10)),
            ),
        ),
    ),
    DemoCourse(
        NewCourse(
            title="Azure Fundamentals (AZ-900)",
            provider=CloudProvider.AZURE,
            level=Level.BEGINNER,
            summary="Azure architecture, core services, governance and pricing (AZ-900 exam).",
            tags=("azure", "certification", "governance"),
        ),
        (
            (
                "Azure architecture",
                (("Subscriptions and resource groups", V, 9), ("Azure regions", T, 5)),
            ),
            ("Practice", (("Deploy a web app", L, 25), ("AZ-900 practice questions", Q, 15))),
        ),
    ),
    DemoCourse(
        NewCourse(
            title="Kubernetes on Google Kubernetes Engine",
            provider=CloudProvider.GCP,
            level=Level.ADVANCED,
            summary="Run production workloads on GKE: autopilot, networking, scaling.",
            tags=("gcp", "kubernetes", "gke", "containers"),
        ),
        (
            ("Clusters", (("GKE Autopilot vs Standard", V, 14), ("Networking model", T, 12))),
            ("Operations", (("Version build artifacts", L, 45), ("GKE operations quiz", Q, 10))),
        ),
    ),
)


def _content(title: str, kind: LessonKind) -> ContentDraft:
    blocks = [
        ContentBlock(kind="heading", text=title),
        ContentBlock(kind="paragraph", text=f"In this lesson: {title.lower()}."),
    ]
    if kind is LessonKind.LAB:
        blocks.append(
            ContentBlock(kind="callout", text="The lab opens a sandbox account of your own.")
        )
        return ContentDraft(blocks=tuple(blocks), lab_ref=DEMO_LAB_TEMPLATES[title])
    if kind is LessonKind.QUIZ:
        return ContentDraft(
            blocks=tuple(blocks), quiz_ref=f"quiz:{title.lower().replace(' ', '-')}"
        )
    if kind is LessonKind.TEXT:
        blocks.append(
            ContentBlock(kind="code", text="aws sts get-caller-identity", language="bash")
        )
    return ContentDraft(blocks=tuple(blocks))


def _ignore(_line: str) -> None:
    return None


async def seed_demo_catalog(
    container: AsyncContainer,
    *,
    instructor_id: str = "demo-instructor",
    video_asset_ids: Sequence[str] = (),
    progress: Progress = _ignore,
) -> list[str]:
    """Creates and publishes the demo courses owned by ``instructor_id`` through the use
    cases (events and outbox included); returns the new course ids. Video lessons play
    ``video_asset_ids`` in turn (assets the content context holds); none given, they
    have no asset and playback answers that the lesson has no video yet.

    In the distributed profile the use cases ask the content and labs services about the
    videos and lab templates with the caller's token: the caller runs this with the demo
    instructor's token in ``cmh.kernel.context.authorization``."""
    videos = itertools.cycle(video_asset_ids) if video_asset_ids else None
    author = Principal(user_id=instructor_id, roles=frozenset({"instructor"}))
    async with container() as request:
        existing = await (await request.get(CourseRepository)).list_published()
    published = {course.title for course in existing if course.owner_id == instructor_id}
    created: list[str] = []
    for index, demo in enumerate(DEMO_COURSES, start=1):
        title = demo.course.title
        if title in published:
            progress(f"demo course {index}/{len(DEMO_COURSES)} already there: {title}")
            for _module, lessons in demo.modules:  # the next course plays the same videos
                for _title, kind, _minutes in lessons:
                    if kind is V and videos:
                        next(videos)
            continue
        progress(f"seeding demo catalog {index}/{len(DEMO_COURSES)}: {title}")
        async with container() as request:
            course = await (await request.get(CreateCourse)).execute(author, demo.course)
        for module_title, lessons in demo.modules:
            async with container() as request:
                module = await (await request.get(AddModule)).execute(
                    author, course.id, module_title
                )
            for lesson_title, kind, minutes in lessons:
                async with container() as request:
                    lesson = await (await request.get(AddLesson)).execute(
                        author,
                        course.id,
                        module.id,
                        NewLesson(
                            title=lesson_title,
                            kind=kind,
                            duration_minutes=minutes,
                            asset_id=next(videos) if kind is V and videos else None,
                        ),
                    )
                async with container() as request:
                    await (await request.get(PutLessonContent)).execute(
                        author, course.id, lesson.id, _content(lesson_title, kind)
                    )
        async with container() as request:
            await (await request.get(PublishCourse)).execute(author, course.id)
        created.append(course.id)
    return created


@dataclass(frozen=True)
class DemoQuizLessons:
    """A demo course and its quiz lessons (id, title), for the seeds that attach quizzes."""

    course_id: str
    title: str
    quiz_lessons: tuple[tuple[str, str], ...]


async def demo_quiz_lessons(container: AsyncContainer, instructor_id: str) -> list[DemoQuizLessons]:
    """The demo instructor's published courses with their quiz lessons, in catalog order."""
    async with container() as request:
        courses = await (await request.get(CourseRepository)).list_published()
    return [
        DemoQuizLessons(
            course_id=course.id,
            title=course.title,
            quiz_lessons=tuple(
                (lesson.id, lesson.title)
                for lesson in course.lessons()
                if lesson.kind is LessonKind.QUIZ
            ),
        )
        for course in sorted(courses, key=lambda c: c.created_at)
        if course.owner_id == instructor_id
    ]
