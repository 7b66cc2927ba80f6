"""Demo data for the embedded platform, created through the same use cases the API calls
(so events, audit entries and rules apply). Safe to run on every start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dishka import AsyncContainer

from cmh.content.application.attach_asset import AttachAsset
from cmh.content.application.ports import AssetRepository, ContentUnitOfWork, ObjectStorage
from cmh.content.demo_media import DEMO_VIDEO_ASSET_IDS
from cmh.content.demo_seed import seed_demo_media
from cmh.courses.application.ports import CourseRepository
from cmh.courses.demo_catalog import seed_demo_catalog
from cmh.kernel.auth.principal import Principal, Role
from cmh.kernel.clock import Clock
from cmh.kernel.errors import Conflict
from cmh.labs.demo_seed import seed_demo_templates
from cmh.payments.demo_seed import seed_demo_subscription
from cmh.users.adapters.identity.local_idp import STAND_IN_IDENTITIES
from cmh.users.application.admin_update_user import AdminUpdateUser
from cmh.users.application.change_tier import ChangeTier
from cmh.users.application.ensure_admin import EnsureAdmin
from cmh.users.application.ports import UserRepository
from cmh.users.application.register_user import RegisterUser
from cmh.users.domain.email import Email


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    display_name: str
    role: Role
    tier: str = "free"


DEMO_ACCOUNTS = (
    DemoAccount("learner@cloudmastershub.dev", "learn-the-cloud-42", "Lena Learner", Role.LEARNER),
    DemoAccount(
        "instructor@cloudmastershub.dev", "teach-the-cloud-42", "Ivan Instructor", Role.INSTRUCTOR
    ),
    DemoAccount("admin@cloudmastershub.dev", "admin-the-cloud-42", "Ada Admin", Role.ADMIN),
    # Can launch every seeded lab (the free learner, the beginner one).
    DemoAccount("pro@cloudmastershub.dev", "pro-the-cloud-42", "Pia Pro", Role.LEARNER, tier="pro"),
)


@dataclass
class SeededAccounts:
    """The demo accounts' ids (``by_role``: the first account of each role)."""

    by_role: dict[Role, str]
    by_email: dict[str, str]


async def _register(container: AsyncContainer, account: DemoAccount) -> None:
    async with container() as request:
        register = await request.get(RegisterUser)
        try:
            await register.execute(
                email=account.email, password=account.password, display_name=account.display_name
            )
        except Conflict:
            return  # seeded on an earlier start


async def seed_accounts(container: AsyncContainer) -> SeededAccounts:
    admin_account = next(a for a in DEMO_ACCOUNTS if a.role is Role.ADMIN)
    async with container() as request:
        admin = await (await request.get(EnsureAdmin)).execute(
            email=admin_account.email,
            password=admin_account.password,
            display_name=admin_account.display_name,
        )
    seeded = {Role.ADMIN: admin.id}
    by_email = {admin_account.email: admin.id}
    acting_admin = Principal(user_id=admin.id, roles=frozenset({Role.ADMIN.value}))
    for account in DEMO_ACCOUNTS:
        if account.role is Role.ADMIN:
            continue
        await _register(container, account)
        async with container() as request:
            user = await (await request.get(UserRepository)).by_email(Email.parse(account.email))
        if user is None:
            raise RuntimeError(f"demo account {account.email} was not created")
        if account.role is Role.INSTRUCTOR and Role.INSTRUCTOR not in user.roles:
            async with container() as request:
                await (await request.get(AdminUpdateUser)).execute(
                    acting_admin, user.id, roles=[Role.LEARNER.value, Role.INSTRUCTOR.value]
                )
        if user.tier.value != account.tier:
            async with container() as request:
                await (await request.get(ChangeTier)).execute(
                    acting_admin, user.id, tier=account.tier, reason="demo account"
                )
        seeded.setdefault(account.role, user.id)
        by_email[account.email] = user.id
    return SeededAccounts(seeded, by_email)


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


async def seed_demo_data(
    container: AsyncContainer, progress: Callable[[str], None]
) -> SeededAccounts:
    progress("seeding demo accounts (1/4)")
    accounts = await seed_accounts(container)
    instructor_id = accounts.by_role[Role.INSTRUCTOR]
    progress("seeding demo lab templates (2/4)")
    templates = await seed_demo_templates(container, owner_id=instructor_id)
    progress(
        f"demo labs: {len(templates)} new template(s)" if templates else "demo labs already there"
    )
    progress("seeding demo media: generating and transcoding sample videos (3/4)")
    async with container() as request:
        media = await seed_demo_media(
            await request.get(AssetRepository),
            await request.get(ObjectStorage),
            await request.get(ContentUnitOfWork),
            await request.get(Clock),
            owner_id=instructor_id,
        )
    progress(f"demo media: {len(media)} new asset(s)" if media else "demo media already there")
    progress("seeding the demo course catalog (4/4)")
    created = await seed_demo_catalog(
        container, instructor_id=instructor_id, video_asset_ids=DEMO_VIDEO_ASSET_IDS
    )
    progress(
        f"demo catalog: {len(created)} new course(s)" if created else "demo catalog already there"
    )
    await attach_demo_videos(container, instructor_id)
    pro = next(a for a in DEMO_ACCOUNTS if a.tier == "pro")
    if await seed_demo_subscription(container, user_id=accounts.by_email[pro.email]):
        progress(f"demo billing: {pro.email} pays for pro monthly")
    for account in DEMO_ACCOUNTS:
        progress(f"demo {account.role.value:<10} {account.email} / {account.password}")
    for identity in STAND_IN_IDENTITIES:  # single sign-on's stand-in provider, /local-idp
        verified = "verified" if identity.email_verified else "unverified"
        progress(f"sso stand-in {identity.username} / {identity.password} ({verified} address)")
    return accounts
