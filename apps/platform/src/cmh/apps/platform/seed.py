"""Demo data for the embedded platform: each context's demo seed (the same functions the
distributed profile's seed job runs), in the order their references need (accounts, lab
templates, media, catalog), all through the one container. Safe to run on every start."""

from __future__ import annotations

from dishka import AsyncContainer

from cmh.assessments.demo_seed import seed_demo_assessments
from cmh.content.application.attach_asset import AttachAsset
from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS
from cmh.content.demo_seed import seed_demo_assets
from cmh.courses.application.ports import CourseRepository
from cmh.courses.demo_catalog import demo_quiz_lessons, seed_demo_catalog
from cmh.forum.demo_seed import seed_demo_forum
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.module import Progress
from cmh.labs.demo_seed import seed_demo_templates
from cmh.payments.demo_seed import seed_demo_subscription
from cmh.users.adapters.identity.local_idp import STAND_IN_IDENTITIES
from cmh.users.demo_seed import (
    DEMO_ACCOUNTS,
    SeededAccounts,
    demo_credentials,
    seed_demo_accounts,
)


async def attach_demo_videos(container: AsyncContainer, instructor_id: str) -> None:
    """Demo catalogs seeded before content recorded which courses may play an asset
    keep playing: the demo instructor attaches their own videos to their own courses,
    through the same rule as the API (attaching twice changes nothing)."""
    author = Principal(user_id=instructor_id, roles=frozenset({Role.INSTRUCTOR.value}))
    async with container() as request:
        courses = await (await request.get(CourseRepository)).list_published()
    for course in courses:
        if course.owner_id != instructor_id:
            continue
        for lesson in course.lessons():
            if lesson.asset_id is not None and lesson.asset_id in DEMO_VIDEO_ASSET_IDS:
                async with container() as request:
                    await (await request.get(AttachAsset)).execute(
                        author, lesson.asset_id, course.id
                    )


async def seed_demo_data(container: AsyncContainer, progress: Progress) -> SeededAccounts:
    accounts = await seed_demo_accounts(container, progress)
    instructor_id = accounts.by_role[Role.INSTRUCTOR]
    templates = await seed_demo_templates(container, owner_id=instructor_id, progress=progress)
    media = await seed_demo_assets(container, owner_id=instructor_id, progress=progress)
    courses = await seed_demo_catalog(
        container,
        instructor_id=instructor_id,
        video_asset_ids=DEMO_VIDEO_ASSET_IDS,
        progress=progress,
    )
    await attach_demo_videos(container, instructor_id)
    quizzes = await seed_demo_assessments(
        container,
        instructor_id=instructor_id,
        courses=await demo_quiz_lessons(container, instructor_id),
    )
    async with container() as request:
        published = await (await request.get(CourseRepository)).list_published()
    boards = await seed_demo_forum(
        container,
        instructor_id=instructor_id,
        courses=[(c.id, c.title) for c in published if c.owner_id == instructor_id],
        progress=progress,
    )
    changes = (
        len(boards)
        + len(accounts.changed)
        + len(templates)
        + len(media)
        + len(courses)
        + len(quizzes)
    )
    progress(
        f"demo data: {len(accounts.changed)} account change(s), {len(templates)} lab "
        f"template(s), {len(media)} asset(s), {len(courses)} course(s), {len(quizzes)} "
        "quiz(zes) added"
        if changes
        else "demo data already in place: nothing changed"
    )
    pro = next(a for a in DEMO_ACCOUNTS if a.tier == "pro")
    if await seed_demo_subscription(container, user_id=accounts.by_email[pro.email]):
        progress(f"demo billing: {pro.email} pays for pro monthly")
    for line in demo_credentials():
        progress(line)
    for identity in STAND_IN_IDENTITIES:  # single sign-on's stand-in provider, /local-idp
        verified = "verified" if identity.email_verified else "unverified"
        progress(f"sso stand-in {identity.username} / {identity.password} ({verified} address)")
    return accounts
