"""The distributed profile's demo seed job: the same demo data as `make run`, through
each context's own demo seed (the functions the embedded platform calls), written into
each service's own stores. Run it once the services are up (the catalog asks content
and labs about its videos and lab templates); a second run changes nothing and says so.

    python -m cmh.apps.seed        (dist/apps.seed/seed.pex; CMH_DEMO__SEED=false: no-op)

Order: accounts (users) -> lab templates (labs) -> media (content) -> catalog (courses)
-> quizzes and the final exam (assessments) -> the pro learner's subscription (payments),
each referring to what was seeded before it.
Events (user.registered, template.created, course.published ...) go through each
context's outbox: the running workers publish them (search index, progress ...)."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field

from cmh.apps.seed.containers import (
    assessments_container,
    content_container,
    courses_container,
    forum_container,
    labs_container,
    payments_container,
    users_container,
)
from cmh.apps.seed.settings import SeedSettings, load_seed_settings
from cmh.assessments.demo_seed import seed_demo_assessments
from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS
from cmh.content.demo_seed import seed_demo_assets
from cmh.courses.application.ports import CourseRepository
from cmh.courses.demo_catalog import demo_quiz_lessons, seed_demo_catalog
from cmh.forum.demo_seed import seed_demo_forum
from cmh.kernel import context
from cmh.kernel.auth.principal import Role
from cmh.kernel.logging import configure_logging
from cmh.kernel.module import Progress
from cmh.kernel.settings import SettingsError
from cmh.labs.demo_seed import seed_demo_templates
from cmh.payments.demo_seed import seed_demo_subscription
from cmh.users.demo_seed import (
    DEMO_ACCOUNTS,
    demo_access_token,
    demo_credentials,
    seed_demo_accounts,
)


def progress(line: str) -> None:
    print(f"==> {line}", flush=True)


@dataclass
class SeedReport:
    """What one run changed, per context (empty lists: nothing)."""

    changes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return any(self.changes.values())

    def summary(self) -> str:
        if not self.changed_anything:
            return "demo data already in place: nothing changed"
        counts = ", ".join(f"{name} {len(items)}" for name, items in self.changes.items())
        return f"demo data seeded ({counts} change(s))"


async def seed(settings: SeedSettings, report_progress: Progress) -> SeedReport:
    """Each context's demo seed, in order, over that context's own composition (closed
    when its step is done)."""
    report = SeedReport()
    instructor = next(a for a in DEMO_ACCOUNTS if a.role is Role.INSTRUCTOR)

    users = users_container(settings.users)
    try:
        accounts = await seed_demo_accounts(users, report_progress)
        instructor_token = await demo_access_token(users, instructor.email)
    finally:
        await users.close()
    report.changes["users"] = list(accounts.changed)
    instructor_id = accounts.by_role[Role.INSTRUCTOR]

    labs = labs_container(settings.labs)
    try:
        report.changes["labs"] = await seed_demo_templates(
            labs, owner_id=instructor_id, progress=report_progress
        )
    finally:
        await labs.close()

    content = content_container(settings.content)
    try:
        assets = await seed_demo_assets(content, owner_id=instructor_id, progress=report_progress)
    finally:
        await content.close()
    report.changes["content"] = [asset.id for asset in assets]

    courses = courses_container(settings.courses)
    # The catalog's use cases ask content and labs as the author, with their own token.
    relayed = context.authorization.set(f"Bearer {instructor_token}")
    try:
        report.changes["courses"] = await seed_demo_catalog(
            courses,
            instructor_id=instructor_id,
            video_asset_ids=DEMO_VIDEO_ASSET_IDS,
            progress=report_progress,
        )
        quiz_lessons = await demo_quiz_lessons(courses, instructor_id)
        async with courses() as request:
            published = await (await request.get(CourseRepository)).list_published()
        boards = [(c.id, c.title) for c in published if c.owner_id == instructor_id]
    finally:
        await courses.close()

    assessments = assessments_container(settings.assessments)
    try:
        # Authoring asks courses whether the instructor owns the course: the same token.
        report.changes["assessments"] = await seed_demo_assessments(
            assessments, instructor_id=instructor_id, courses=quiz_lessons
        )
    finally:
        await assessments.close()

    forum = forum_container(settings.forum)
    try:
        # Posting on a course board asks courses whether the instructor teaches it.
        report.changes["forum"] = await seed_demo_forum(
            forum, instructor_id=instructor_id, courses=boards, progress=report_progress
        )
    finally:
        context.authorization.reset(relayed)
        await forum.close()

    payments = payments_container(settings.payments)
    try:
        pro = next(a for a in DEMO_ACCOUNTS if a.tier == "pro")
        paid = await seed_demo_subscription(payments, user_id=accounts.by_email[pro.email])
        report.changes["payments"] = [pro.email] if paid else []
        if paid:
            report_progress(f"demo billing: {pro.email} pays for pro monthly")
    finally:
        await payments.close()
    return report


def main() -> None:
    try:
        settings = load_seed_settings()
    except SettingsError as exc:
        print(f"!!  {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from exc
    configure_logging(settings.log_level, service="seed")
    if not settings.demo.seed:
        progress("demo seeding is off (CMH_DEMO__SEED=false): nothing seeded")
        return
    report = asyncio.run(seed(settings, progress))
    progress(report.summary())
    for line in demo_credentials():
        progress(line)


if __name__ == "__main__":
    main()
