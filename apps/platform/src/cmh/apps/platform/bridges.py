"""In-process adapters between contexts, for the embedded profile only.

A context reaches another through a port it owns; in the distributed profile the adapter
is an HTTP client, here it calls the other context's application query in a fresh
request scope of the same container. Only a composition root may know both sides.
"""

from __future__ import annotations

from decimal import Decimal

from dishka import AsyncContainer

from cmh.analytics.application.ports import CourseOwnership as ReportedCourse
from cmh.assessments.application.ports import CourseMembership as AssessedCourse
from cmh.content.application.attach_asset import AttachAsset
from cmh.content.application.playback_url import PlaybackUrl as ContentPlaybackUrl
from cmh.contracts.http.labs import LabHoursRefundResponse, LessonLabLaunchRequest
from cmh.contracts.http.notifications import TransactionalKind, TransactionalMailRequest
from cmh.contracts.http.users import MAX_LOOKUP_EMAILS
from cmh.courses.application.course_membership import CourseMembership
from cmh.courses.application.ports import (
    AttachedAsset,
    LabSessionSummary,
    LearnerEntitlements,
    PlaybackUrl,
)
from cmh.courses.domain.errors import CourseNotFound
from cmh.forum.application.ports import CourseRole
from cmh.kernel.auth.principal import Principal
from cmh.kernel.errors import NotFound
from cmh.labs.application.launch_for_learner import LaunchForLearner
from cmh.labs.application.ports import LabAllowance
from cmh.labs.application.refund_session_hours import RefundSessionHours
from cmh.labs.application.template_owner import TemplateOwner
from cmh.labs.domain.errors import TemplateNotFound
from cmh.notifications.application.ports import Recipient, RecipientProfile
from cmh.notifications.application.send_transactional import SendTransactionalMail
from cmh.payments.application.ports import HoursBack
from cmh.payments.domain.plans import Tier
from cmh.users.application.change_tier import ChangeTier
from cmh.users.application.find_users_by_email import FindUsersByEmail
from cmh.users.application.get_entitlements import GetEntitlements
from cmh.users.application.get_preferences import GetPreferences
from cmh.users.application.list_administrators import ListAdministrators
from cmh.users.domain.email import Email
from cmh.users.domain.roles import service_principal

COURSES_SERVICE = service_principal("courses")
LABS_SERVICE = service_principal("labs")
ASSESSMENTS_SERVICE = service_principal("assessments")
PAYMENTS_SERVICE = service_principal("payments")
FORUM_SERVICE = service_principal("forum")
NOTIFICATIONS_SERVICE = service_principal("notifications")
USERS_SERVICE = service_principal("users")
ANALYTICS_SERVICE = service_principal("analytics")


class InProcessEntitlements:
    """courses -> users: what a learner may take."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def of(self, user_id: str) -> LearnerEntitlements:
        async with self._container() as request:
            answer = await (await request.get(GetEntitlements)).execute(COURSES_SERVICE, user_id)
        return LearnerEntitlements(
            user_id=answer.user_id,
            tier=answer.tier,
            course_levels=frozenset(answer.course_levels),
            active=answer.active,
        )


class InProcessPlayback:
    """courses -> content: a signed URL of a ready video, for a learner courses has
    already found entitled to the lesson, in a course the video was attached to."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def url_for(self, asset_id: str, user_id: str, course_id: str) -> PlaybackUrl:
        async with self._container() as request:
            playback = await (await request.get(ContentPlaybackUrl)).execute(
                asset_id, user_id=user_id, course_id=course_id
            )
        return PlaybackUrl(url=playback.url, expires_at=playback.expires_at)


class InProcessMediaLibrary:
    """courses -> content: a course starts using an asset; content checks the caller may."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def attach(self, caller: Principal, asset_id: str, course_id: str) -> AttachedAsset:
        async with self._container() as request:
            asset = await (await request.get(AttachAsset)).execute(caller, asset_id, course_id)
        return AttachedAsset(id=asset.id, kind=asset.kind, status=asset.status)


class InProcessLabs:
    """courses -> labs: launch a lab lesson's template for a learner courses found
    entitled to the lesson (labs checks tier and lab hours; its refusals pass through as
    they are), and who owns a template a lesson refers to."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def launch(
        self, user_id: str, template_id: str, course_id: str, lesson_id: str
    ) -> LabSessionSummary:
        request_body = LessonLabLaunchRequest(
            user_id=user_id, template_id=template_id, course_id=course_id, lesson_id=lesson_id
        )
        async with self._container() as request:
            session = await (await request.get(LaunchForLearner)).execute(
                COURSES_SERVICE, request_body
            )
        return LabSessionSummary(
            id=session.id,
            user_id=session.user_id,
            template_id=session.template_id,
            course_id=session.course_id,
            lesson_id=session.lesson_id,
            provider=session.provider,
            status=session.status,
            region=session.region,
            requested_at=session.requested_at,
            expires_at=session.expires_at,
            max_score=session.max_score,
        )

    async def owner_of(self, template_id: str) -> str | None:
        async with self._container() as request:
            try:
                owner = await (await request.get(TemplateOwner)).execute(
                    COURSES_SERVICE, template_id
                )
            except TemplateNotFound:
                return None
        return owner.owner_id


class InProcessLabEntitlements:
    """labs -> users: a learner's tier, levels and lab hours a month."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def of(self, user_id: str) -> LabAllowance:
        async with self._container() as request:
            answer = await (await request.get(GetEntitlements)).execute(LABS_SERVICE, user_id)
        return LabAllowance(
            user_id=answer.user_id,
            tier=answer.tier,
            levels=frozenset(answer.course_levels),
            lab_hours_per_month=Decimal(answer.lab_hours_per_month),
            active=answer.active,
        )


class InProcessCourseCatalog:
    """assessments -> courses: a course's owner and title, and whether a user is enrolled."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def membership(self, course_id: str, user_id: str) -> AssessedCourse | None:
        async with self._container() as request:
            try:
                answer = await (await request.get(CourseMembership)).execute(
                    ASSESSMENTS_SERVICE, course_id, user_id
                )
            except CourseNotFound:
                return None
        return AssessedCourse(
            course_id=answer.course_id,
            title=answer.title,
            status=answer.status,
            owner_id=answer.owner_id,
            enrolled=answer.enrolled,
        )


class InProcessUsersTiers:
    """payments -> users: the tier a learner paid for (users publishes user.tier_changed)."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def set_tier(self, user_id: str, tier: Tier, reason: str) -> None:
        async with self._container() as request:
            await (await request.get(ChangeTier)).execute(
                PAYMENTS_SERVICE, user_id, tier=tier.value, reason=reason[:200]
            )


class InProcessLabHours:
    """payments -> labs: give back the hours of a session the platform failed."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def refund_session(self, session_id: str, reason: str) -> HoursBack:
        async with self._container() as request:
            answer: LabHoursRefundResponse = await (await request.get(RefundSessionHours)).execute(
                PAYMENTS_SERVICE, session_id, reason
            )
        return HoursBack(
            hours=Decimal(answer.hours_refunded), pack_hours=Decimal(answer.pack_hours_refunded)
        )


class InProcessCourseMembers:
    """forum -> courses: whether a user is enrolled in or teaches a course."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def role(self, course_id: str, user_id: str) -> CourseRole | None:
        async with self._container() as request:
            try:
                answer = await (await request.get(CourseMembership)).execute(
                    FORUM_SERVICE, course_id, user_id
                )
            except CourseNotFound:
                return None
        return CourseRole(enrolled=answer.enrolled, instructor=answer.owner_id == user_id)


class InProcessUserDirectory:
    """forum -> users: the accounts @mention handles name (users knows people by email
    address, so only handles that are addresses can name someone)."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def resolve_handles(self, handles: tuple[str, ...]) -> dict[str, str]:
        emails = [h for h in handles if "@" in h][:MAX_LOOKUP_EMAILS]
        if not emails:
            return {}
        async with self._container() as request:
            answer = await (await request.get(FindUsersByEmail)).execute(FORUM_SERVICE, emails)
        return answer.users


class InProcessUserProfiles:
    """notifications -> users: a learner's locale and time zone (users answers NotFound
    for an unknown or erased user)."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def of(self, user_id: str) -> RecipientProfile:
        async with self._container() as request:
            answer = await (await request.get(GetPreferences)).execute(
                NOTIFICATIONS_SERVICE, user_id
            )
        return RecipientProfile(locale=answer.locale, timezone=answer.timezone)


class InProcessAdministrators:
    """notifications -> users: who administers the platform (told of its alerts)."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def all(self) -> list[Recipient]:
        async with self._container() as request:
            answer = await (await request.get(ListAdministrators)).execute(NOTIFICATIONS_SERVICE)
        return [
            Recipient(user_id=a.user_id, email=a.email, display_name=a.display_name)
            for a in answer.administrators
        ]


class InProcessAccountMailer:
    """users -> notifications: account mail (verify the email, reset the password) with
    its secret link, handed to notifications' transactional use case in process (never to
    the bus); the link leads to ``links_base_url`` with the secret in its fragment."""

    def __init__(
        self,
        container: AsyncContainer,
        links_base_url: str,
        *,
        verification_ttl_seconds: int,
        reset_ttl_seconds: int,
    ) -> None:
        self._container = container
        self._base = links_base_url.rstrip("/")
        self._ttl: dict[TransactionalKind, int] = {
            "email_verification": verification_ttl_seconds,
            "password_reset": reset_ttl_seconds,
        }

    async def send_email_verification(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        await self._send(
            "email_verification", "/verify-email", to, display_name, token, user_id, locale
        )

    async def send_password_reset(
        self, *, to: Email, display_name: str, token: str, user_id: str = "", locale: str = "en"
    ) -> None:
        await self._send(
            "password_reset", "/reset-password", to, display_name, token, user_id, locale
        )

    async def _send(
        self,
        kind: TransactionalKind,
        page: str,
        to: Email,
        display_name: str,
        token: str,
        user_id: str,
        locale: str,
    ) -> None:
        request_body = TransactionalMailRequest(
            kind=kind,
            user_id=user_id or to.value,
            to=to.value,
            display_name=display_name,
            action_url=f"{self._base}{page}#token={token}",
            expires_in_seconds=self._ttl[kind],
            locale=locale,
        )
        async with self._container() as request:
            await (await request.get(SendTransactionalMail)).execute(USERS_SERVICE, request_body)


class InProcessCourseDirectory:
    """analytics -> courses: who owns a course (its instructor reads its report)."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def ownership(self, course_id: str, user_id: str) -> ReportedCourse | None:
        async with self._container() as request:
            try:
                answer = await (await request.get(CourseMembership)).execute(
                    ANALYTICS_SERVICE, course_id, user_id
                )
            except CourseNotFound:
                return None
        return ReportedCourse(
            course_id=answer.course_id, title=answer.title, owner_id=answer.owner_id
        )


class InProcessLearnerProfiles:
    """analytics -> users: a learner's interests for recommendations (none when unknown)."""

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def interests(self, user_id: str) -> tuple[str, ...]:
        async with self._container() as request:
            try:
                answer = await (await request.get(GetPreferences)).execute(
                    ANALYTICS_SERVICE, user_id
                )
            except NotFound:
                return ()
        return tuple(answer.interests)
