"""Pact consumer tests: each service's real HTTP adapter (the one its distributed profile
uses) against Pact's mock server, one pact per calling pair, compared with the pact
committed under ``contracts/pacts/`` (``tests/contract/pacts.py``). The providers verify
those pacts in ``test_pact_providers.py``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from pact import Pact, match

from cmh.analytics.adapters.courses.directory import HttpCourseDirectory
from cmh.analytics.adapters.courses.settings import (
    CoursesClientSettings as AnalyticsCoursesSettings,
)
from cmh.analytics.adapters.users.profiles import HttpLearnerProfiles
from cmh.analytics.adapters.users.settings import UsersClientSettings as AnalyticsUsersSettings
from cmh.assessments.adapters.courses.catalog import HttpCourseCatalog
from cmh.assessments.adapters.courses.settings import (
    CoursesClientSettings as AssessmentsCoursesSettings,
)
from cmh.courses.adapters.http.content_media import HttpMediaLibrary
from cmh.courses.adapters.http.content_playback import HttpPlayback
from cmh.courses.adapters.http.labs_sessions import HttpLabs
from cmh.courses.adapters.http.resilient import ResilientJsonClient
from cmh.courses.adapters.http.users_entitlements import HttpEntitlements as CoursesEntitlements
from cmh.courses.settings import ServiceClientSettings
from cmh.forum.adapters.courses.members import HttpCourseMembers
from cmh.forum.adapters.users.directory import HttpUserDirectory
from cmh.forum.settings import ForumUsersSettings
from cmh.kernel import context
from cmh.kernel.auth.principal import Principal
from cmh.kernel.auth.tokens import SigningKey, TokenIssuer, TokenSettings
from cmh.kernel.clock import FrozenClock
from cmh.kernel.errors import NotFound
from cmh.labs.adapters.users.entitlements import HttpEntitlements as LabsEntitlements
from cmh.labs.adapters.users.settings import UsersClientSettings as LabsUsersSettings
from cmh.notifications.adapters.users.profiles import HttpUserProfiles
from cmh.notifications.adapters.users.settings import (
    UsersClientSettings as NotificationsUsersSettings,
)
from cmh.payments.adapters.labs.hours import HttpLabHours
from cmh.payments.adapters.users.settings import UsersClientSettings as PaymentsUsersSettings
from cmh.payments.adapters.users.tiers import HttpUsersTiers
from cmh.payments.domain.plans import Tier
from cmh.users.adapters.notifications_mailer import NotificationsAccountMailer
from cmh.users.domain.email import Email
from cmh.users.settings import AccountMailSettings
from tests.contract import pact_states as given
from tests.contract.pacts import consumer_pact

# A bearer token: the mock server takes any; the provider verification sends a real one.
BEARER = match.regex("Bearer relayed-or-service-token", regex=r"^Bearer \S+$")
JSON = {"Content-Type": "application/json"}


@contextmanager
def relaying() -> Iterator[None]:
    """As inside a request of the consumer's own API: the caller's credentials are relayed."""
    reset = context.authorization.set("Bearer relayed-learner-token")
    try:
        yield
    finally:
        context.authorization.reset(reset)


# ------------------------------------------------------------ what users answers


def expects_entitlements(pact: Pact) -> None:
    (
        pact.upon_receiving("a learner's entitlements")
        .given(given.LEARNER)
        .with_request("GET", f"/internal/v1/users/{given.LEARNER_ID}/entitlements")
        .with_header("Authorization", BEARER)
        .will_respond_with(200)
        .with_body(
            match.like(
                {
                    "user_id": given.LEARNER_ID,
                    "tier": "free",
                    "roles": ["learner"],
                    "course_levels": ["beginner"],
                    "lab_hours_per_month": 5,
                    "active": True,
                }
            ),
            content_type="application/json",
        )
    )
    (
        pact.upon_receiving("the entitlements of nobody")
        .given(given.NO_SUCH_USER)
        .with_request("GET", f"/internal/v1/users/{given.NO_SUCH_USER_ID}/entitlements")
        .with_header("Authorization", BEARER)
        .will_respond_with(404)
    )


def expects_preferences(pact: Pact) -> None:
    (
        pact.upon_receiving("a learner's preferences")
        .given(given.LEARNER)
        .with_request("GET", f"/internal/v1/users/{given.LEARNER_ID}/preferences")
        .with_header("Authorization", BEARER)
        .will_respond_with(200)
        .with_body(
            match.like(
                {
                    "user_id": given.LEARNER_ID,
                    "locale": "en",
                    "timezone": "UTC",
                    "interests": match.each_like("aws"),
                }
            ),
            content_type="application/json",
        )
    )


def expects_service_token(pact: Pact, client_id: str) -> None:
    (
        pact.upon_receiving(f"a service token for {client_id}")
        .given(given.SERVICE_CLIENTS)
        .with_request("POST", "/internal/v1/auth/token")
        .with_body(
            {"client_id": client_id, "client_secret": given.client_secret(client_id)},
            content_type="application/json",
        )
        .will_respond_with(200)
        .with_body(
            match.like(
                {"access_token": "service-token", "expires_in": 900, "token_type": "Bearer"}
            ),
            content_type="application/json",
        )
    )


# ------------------------------------------------------------ the consumers of users


async def test_courses_reads_entitlements_from_users(tmp_path: Path) -> None:
    with consumer_pact("courses", "users", tmp_path) as pact:
        expects_entitlements(pact)
        with pact.serve() as server, relaying():
            async with httpx.AsyncClient() as http:
                settings = ServiceClientSettings(users_url=str(server.url), attempts=1)
                users = CoursesEntitlements(
                    ResilientJsonClient(http, service="users", settings=settings), str(server.url)
                )
                learner = await users.of(given.LEARNER_ID)
                assert (learner.user_id, learner.active) == (given.LEARNER_ID, True)
                with pytest.raises(NotFound):
                    await users.of(given.NO_SUCH_USER_ID)


async def test_labs_reads_entitlements_from_users(tmp_path: Path) -> None:
    with consumer_pact("labs", "users", tmp_path) as pact:
        expects_entitlements(pact)
        with pact.serve() as server, relaying():
            async with httpx.AsyncClient() as http:
                users = LabsEntitlements(http, LabsUsersSettings(url=str(server.url), attempts=1))
                allowance = await users.of(given.LEARNER_ID)
                assert allowance.lab_hours_per_month == 5
                with pytest.raises(NotFound):
                    await users.of(given.NO_SUCH_USER_ID)


async def test_payments_sets_a_tier_at_users(tmp_path: Path) -> None:
    with consumer_pact("payments", "users", tmp_path) as pact:
        expects_service_token(pact, "payments")
        (
            pact.upon_receiving("a tier change")
            .given(given.LEARNER)
            .with_request("PUT", f"/internal/v1/users/{given.LEARNER_ID}/tier")
            .with_header("Authorization", BEARER)
            .with_body(
                {"tier": "pro", "reason": "subscription active"}, content_type="application/json"
            )
            .will_respond_with(200)
            .with_body(
                match.like({"user_id": given.LEARNER_ID, "tier": "pro"}),
                content_type="application/json",
            )
        )
        with pact.serve() as server:
            async with httpx.AsyncClient() as http:
                settings = PaymentsUsersSettings(
                    url=str(server.url), client_secret=given.client_secret("payments"), attempts=1
                )
                await HttpUsersTiers(http, settings).set_tier(
                    given.LEARNER_ID, Tier.PRO, "subscription active"
                )


async def test_analytics_reads_interests_from_users(tmp_path: Path) -> None:
    with consumer_pact("analytics", "users", tmp_path) as pact:
        expects_preferences(pact)
        with pact.serve() as server, relaying():
            async with httpx.AsyncClient() as http:
                profiles = HttpLearnerProfiles(
                    http, AnalyticsUsersSettings(url=str(server.url), attempts=1)
                )
                assert await profiles.interests(given.LEARNER_ID) == ("aws",)


async def test_forum_looks_up_mentioned_users_at_users(tmp_path: Path) -> None:
    with consumer_pact("forum", "users", tmp_path) as pact:
        expects_service_token(pact, "forum")
        (
            pact.upon_receiving("a lookup of mentioned addresses")
            .given(given.LEARNER)
            .with_request("POST", "/internal/v1/users/lookup")
            .with_header("Authorization", BEARER)
            .with_body({"emails": [given.LEARNER_EMAIL]}, content_type="application/json")
            .will_respond_with(200)
            .with_body(
                {"users": match.like({given.LEARNER_EMAIL: given.LEARNER_ID})},
                content_type="application/json",
            )
        )
        with pact.serve() as server:
            async with httpx.AsyncClient() as http:
                settings = ForumUsersSettings(
                    url=str(server.url), client_secret=given.client_secret("forum"), attempts=1
                )
                found = await HttpUserDirectory(http, settings).resolve_handles(
                    (given.LEARNER_EMAIL, "not-an-address")
                )
                assert found == {given.LEARNER_EMAIL: given.LEARNER_ID}


async def test_notifications_reads_preferences_from_users(tmp_path: Path) -> None:
    with consumer_pact("notifications", "users", tmp_path) as pact:
        expects_service_token(pact, "notifications")
        expects_preferences(pact)
        with pact.serve() as server:
            async with httpx.AsyncClient() as http:
                settings = NotificationsUsersSettings(
                    url=str(server.url),
                    client_secret=given.client_secret("notifications"),
                    attempts=1,
                )
                profile = await HttpUserProfiles(http, settings).of(given.LEARNER_ID)
                assert (profile.locale, profile.timezone) == ("en", "UTC")


# ------------------------------------------------------------ the consumers of content

RENDITION = {"name": "720p", "transcoded": True, "bitrate_kbps": 2500, "width": 1280, "height": 720}
ASSET = {
    "id": given.VIDEO_ID,
    "owner_id": given.INSTRUCTOR_ID,
    "kind": "video",
    "filename": "aws-intro.mp4",
    "content_type": "video/mp4",
    "size_bytes": 2048,
    "status": "ready",
    "failure_reason": None,
    "renditions": [RENDITION],
    "caption_languages": ["en"],
    "created_at": "2026-11-30T12:00:00Z",
    "updated_at": "2026-11-30T12:00:00Z",
}


async def test_courses_attaches_videos_and_plays_them_from_content(tmp_path: Path) -> None:
    with consumer_pact("courses", "content", tmp_path) as pact:
        (
            pact.upon_receiving("an instructor attaching their video to a course")
            .given(given.INSTRUCTORS_VIDEO)
            .with_request(
                "PUT", f"/internal/v1/content/assets/{given.VIDEO_ID}/courses/{given.COURSE_ID}"
            )
            .with_header("Authorization", BEARER)
            .will_respond_with(200)
            .with_body(match.like(ASSET), content_type="application/json")
        )
        (
            pact.upon_receiving("a learner's playback URL")
            .given(given.VIDEO_IN_COURSE)
            .with_request("GET", f"/internal/v1/content/assets/{given.VIDEO_ID}/playback")
            .with_query_parameters({"user_id": given.LEARNER_ID, "course_id": given.COURSE_ID})
            .will_respond_with(200)
            .with_body(
                match.like(
                    {
                        "url": "https://media.example.com/aws-intro/720p.mp4?signature=x",
                        "expires_at": "2026-11-30T12:15:00Z",
                        "rendition": RENDITION,
                        "captions": [{"language": "en", "url": "https://media.example.com/en.vtt"}],
                        "media_cache_control": "private, max-age=900",
                    }
                ),
                content_type="application/json",
            )
        )
        with pact.serve() as server, relaying():
            async with httpx.AsyncClient() as http:
                settings = ServiceClientSettings(content_url=str(server.url), attempts=1)
                client = ResilientJsonClient(http, service="content", settings=settings)
                instructor = Principal(given.INSTRUCTOR_ID, frozenset({"instructor"}))
                attached = await HttpMediaLibrary(client, str(server.url)).attach(
                    instructor, given.VIDEO_ID, given.COURSE_ID
                )
                assert (attached.id, attached.status) == (given.VIDEO_ID, "ready")
                playback = await HttpPlayback(client, str(server.url)).url_for(
                    given.VIDEO_ID, given.LEARNER_ID, given.COURSE_ID
                )
                assert playback.url.startswith("https://")


# ------------------------------------------------------------ the consumers of courses


def expects_membership(pact: Pact) -> None:
    (
        pact.upon_receiving("a learner's membership of a course")
        .given(given.COURSE_WITH_LEARNER)
        .with_request("GET", f"/internal/v1/courses/{given.COURSE_ID}/members/{given.LEARNER_ID}")
        .with_header("Authorization", BEARER)
        .will_respond_with(200)
        .with_body(
            match.like(
                {
                    "course_id": given.COURSE_ID,
                    "title": "AWS Lambda in Practice",
                    "status": "published",
                    "owner_id": given.INSTRUCTOR_ID,
                    "user_id": given.LEARNER_ID,
                    "enrolled": True,
                }
            ),
            content_type="application/json",
        )
    )
    (
        pact.upon_receiving("a membership of a course that does not exist")
        .given(given.NO_SUCH_COURSE)
        .with_request(
            "GET", f"/internal/v1/courses/{given.NO_SUCH_COURSE_ID}/members/{given.LEARNER_ID}"
        )
        .with_header("Authorization", BEARER)
        .will_respond_with(404)
    )


async def test_analytics_asks_courses_who_owns_a_course(tmp_path: Path) -> None:
    with consumer_pact("analytics", "courses", tmp_path) as pact:
        expects_membership(pact)
        with pact.serve() as server, relaying():
            async with httpx.AsyncClient() as http:
                courses = HttpCourseDirectory(
                    http, AnalyticsCoursesSettings(url=str(server.url), attempts=1)
                )
                owned = await courses.ownership(given.COURSE_ID, given.LEARNER_ID)
                assert owned is not None
                assert owned.owner_id == given.INSTRUCTOR_ID
                assert await courses.ownership(given.NO_SUCH_COURSE_ID, given.LEARNER_ID) is None


async def test_assessments_asks_courses_whether_a_learner_is_enrolled(tmp_path: Path) -> None:
    with consumer_pact("assessments", "courses", tmp_path) as pact:
        expects_membership(pact)
        with pact.serve() as server, relaying():
            async with httpx.AsyncClient() as http:
                courses = HttpCourseCatalog(
                    http, AssessmentsCoursesSettings(url=str(server.url), attempts=1)
                )
                member = await courses.membership(given.COURSE_ID, given.LEARNER_ID)
                assert member is not None
                assert member.enrolled
                assert await courses.membership(given.NO_SUCH_COURSE_ID, given.LEARNER_ID) is None


async def test_forum_asks_courses_for_a_member_s_role(tmp_path: Path) -> None:
    with consumer_pact("forum", "courses", tmp_path) as pact:
        expects_membership(pact)
        with pact.serve() as server, relaying():
            async with httpx.AsyncClient() as http:
                courses = HttpCourseMembers(http, str(server.url), attempts=1)
                role = await courses.role(given.COURSE_ID, given.LEARNER_ID)
                assert role is not None
                assert (role.enrolled, role.instructor) == (True, False)
                assert await courses.role(given.NO_SUCH_COURSE_ID, given.LEARNER_ID) is None


# ------------------------------------------------------------ the consumers of notifications


async def test_users_sends_account_mail_through_notifications(tmp_path: Path) -> None:
    with consumer_pact("users", "notifications", tmp_path) as pact:
        (
            pact.upon_receiving("an email verification mail")
            .given(given.MAIL_ACCEPTED)
            .with_request("POST", "/internal/v1/notifications/transactional")
            .with_header("Authorization", BEARER)
            .with_body(
                {
                    "kind": "email_verification",
                    "user_id": given.LEARNER_ID,
                    "to": given.LEARNER_EMAIL,
                    "display_name": "Ada Lovelace",
                    "action_url": "https://app.example.com/verify-email#token=secret-link-token",
                    "expires_in_seconds": 86400,
                    "locale": "en",
                },
                content_type="application/json",
            )
            .will_respond_with(200)
            .with_body(
                match.like({"delivery_id": "delivery-1", "status": "sent"}),
                content_type="application/json",
            )
        )
        with pact.serve() as server:
            async with httpx.AsyncClient() as http:
                mailer = NotificationsAccountMailer(
                    http,
                    TokenIssuer(SigningKey.generate(), TokenSettings()),
                    FrozenClock(),
                    AccountMailSettings(
                        notifications_url=str(server.url),
                        links_base_url="https://app.example.com",
                    ),
                    verification_ttl=timedelta(days=1),
                    reset_ttl=timedelta(hours=1),
                )
                await mailer.send_email_verification(
                    to=Email.parse(given.LEARNER_EMAIL),
                    display_name="Ada Lovelace",
                    token="secret-link-token",
                    user_id=given.LEARNER_ID,
                )


# ------------------------------------------------------------ the consumers of labs


async def test_courses_launches_lesson_labs_at_labs(tmp_path: Path) -> None:
    with consumer_pact("courses", "labs", tmp_path) as pact:
        (
            pact.upon_receiving("a lab launch from a lab lesson")
            .given(given.OWNERS_TEMPLATE)
            .with_request("POST", "/internal/v1/labs/sessions")
            .with_header("Authorization", BEARER)
            .with_body(
                {
                    "user_id": given.LEARNER_ID,
                    "template_id": given.TEMPLATE_ID,
                    "course_id": given.COURSE_ID,
                    "lesson_id": given.LESSON_ID,
                },
                content_type="application/json",
            )
            .will_respond_with(202)
            .with_body(
                match.like(
                    {
                        "id": "session-9",
                        "user_id": given.LEARNER_ID,
                        "template_id": given.TEMPLATE_ID,
                        "course_id": given.COURSE_ID,
                        "lesson_id": given.LESSON_ID,
                        "provider": "aws",
                        "status": "requested",
                        "region": "us-east-1",
                        "requested_at": "2026-11-30T12:00:00Z",
                        "expires_at": None,
                        "max_score": 10,
                    }
                ),
                content_type="application/json",
            )
        )
        (
            pact.upon_receiving("the owner of a lab template")
            .given(given.OWNERS_TEMPLATE)
            .with_request("GET", f"/internal/v1/labs/templates/{given.TEMPLATE_ID}/owner")
            .with_header("Authorization", BEARER)
            .will_respond_with(200)
            .with_body(
                match.like({"template_id": given.TEMPLATE_ID, "owner_id": given.INSTRUCTOR_ID}),
                content_type="application/json",
            )
        )
        with pact.serve() as server, relaying():
            async with httpx.AsyncClient() as http:
                settings = ServiceClientSettings(labs_url=str(server.url), attempts=1)
                labs = HttpLabs(
                    ResilientJsonClient(http, service="labs", settings=settings), str(server.url)
                )
                session = await labs.launch(
                    given.LEARNER_ID, given.TEMPLATE_ID, given.COURSE_ID, given.LESSON_ID
                )
                assert session.status == "requested"
                assert await labs.owner_of(given.TEMPLATE_ID) == given.INSTRUCTOR_ID


class IssuedToken:
    """Payments' service token, as users issued it (payments-users.json has that call)."""

    async def access_token(self) -> str:
        return "service-token-from-users"

    def forget(self) -> None:
        return None


async def test_payments_gives_lab_hours_back_at_labs(tmp_path: Path) -> None:
    with consumer_pact("payments", "labs", tmp_path) as pact:
        (
            pact.upon_receiving("an hours refund of a failed session")
            .given(given.LEARNERS_SESSION)
            .with_request("POST", f"/internal/v1/labs/sessions/{given.SESSION_ID}/hours-refund")
            .with_header("Authorization", BEARER)
            .with_body({"reason": "failed_platform"}, content_type="application/json")
            .will_respond_with(200)
            .with_body(
                match.like(
                    {
                        "session_id": given.SESSION_ID,
                        "user_id": given.SESSION_LEARNER_ID,
                        "hours_refunded": "1.5",
                        "pack_hours_refunded": "0",
                    }
                ),
                content_type="application/json",
            )
        )
        with pact.serve() as server:
            async with httpx.AsyncClient() as http:
                labs = HttpLabHours(http, IssuedToken(), str(server.url), attempts=1)
                back = await labs.refund_session(given.SESSION_ID, "failed_platform")
                assert back is not None
