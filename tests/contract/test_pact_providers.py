"""Pact provider verification: each provider's real API app (its test composition),
served on a free port, replays every pact committed for it under ``contracts/pacts/``
(``tests/contract/pacts.py``), its provider states set up through its own use cases."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
import msgspec
import pytest

from cmh.content.application.attach_asset import AttachAsset
from cmh.content.demo_seed import seed_demo_media
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock, IdGenerator
from cmh.users.application.register_user import RegisterUser
from cmh.users.application.update_profile import UpdateProfile
from cmh.users.domain.profile import ProfileChanges
from cmh_testing.content import build_content_test_app
from cmh_testing.courses.app import build_courses_test_app
from cmh_testing.kernel.overrides import replacing
from cmh_testing.labs import build_labs_test_app, template_body
from cmh_testing.notifications.compositions import build_notifications_test_app
from cmh_testing.users.app import TEST_USERS_SETTINGS, build_users_test_app, service_token
from cmh_testing.users.http import PASSWORD
from tests.contract import pact_states as given
from tests.contract.integration_map import SERVICES, Tables
from tests.contract.mesh_policy import EVIDENCE_PATH
from tests.contract.pacts import (
    PACT_DIR,
    ProviderUnderTest,
    ScriptedIds,
    built,
    consumers_of,
    read_pact,
    served,
    service_credentials,
)


def test_every_call_between_services_has_a_pact(tables: Tables) -> None:
    """The integration map's REST calls between services, but the JWKS fetch every service
    makes at users (the kernel's token check, not a service's adapter) and the gateway's
    proxying (it forwards what it gets)."""
    contexts = {name: context for context, name in SERVICES.items()}
    calls = {
        (contexts[row.source], contexts[row.target])
        for row in tables.services
        if row.protocol == "REST"
        and row.source != SERVICES["gateway"]
        and any(not p.startswith("/.well-known/") for p in EVIDENCE_PATH.findall(row.evidence))
    }
    pacts = {(pact.consumer, pact.provider) for pact in map(read_pact, PACT_DIR.glob("*.json"))}
    assert calls == pacts


# ------------------------------------------------------------ users

USERS_CLIENTS = ("payments", "forum", "notifications")


@pytest.fixture(scope="module")
def users(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProviderUnderTest]:
    ids = ScriptedIds()
    clock = FrozenClock()
    settings = msgspec.structs.replace(
        TEST_USERS_SETTINGS,
        service_clients={
            name: hashlib.sha256(given.client_secret(name).encode()).hexdigest()
            for name in USERS_CLIENTS
        },
    )
    database = tmp_path_factory.mktemp("users") / "users.db"
    app = build_users_test_app(
        f"sqlite+aiosqlite:///{database}", clock=clock, users_settings=settings, ids=ids
    )
    container = app.state.dishka_container
    made: set[str] = set()

    async def learner() -> None:
        if given.LEARNER_ID in made:
            return
        ids.then(given.LEARNER_ID)
        async with container() as request:
            register = await request.get(RegisterUser)
            await register.execute(
                email=given.LEARNER_EMAIL, password=PASSWORD, display_name="Ada Lovelace"
            )
            update = await request.get(UpdateProfile)
            await update.execute(
                Principal(user_id=given.LEARNER_ID, roles=frozenset({"learner"})),
                ProfileChanges(interests=("aws",)),
            )
        made.add(given.LEARNER_ID)

    async def as_composed() -> None:
        """Nothing to do: the app's composition (or its empty store) is the state."""

    async def signed_by_users(consumer: str) -> str:
        return f"Bearer {await service_token(container, consumer, now=clock.now())}"

    with served(app) as running:
        yield ProviderUnderTest(
            "users",
            running,
            {
                given.LEARNER: learner,
                given.NO_SUCH_USER: as_composed,
                given.SERVICE_CLIENTS: as_composed,
            },
            signed_by_users,
        )


@pytest.mark.parametrize("consumer", consumers_of("users"))
def test_users_honours_the_pact_of(consumer: str, users: ProviderUnderTest) -> None:
    users.verify(consumer)


# ------------------------------------------------------------ content


@pytest.fixture(scope="module")
def content() -> Iterator[ProviderUnderTest]:
    app, harness = build_content_test_app()
    instructor = Principal(given.INSTRUCTOR_ID, frozenset({"instructor"}))

    async def instructors_video() -> None:
        # Idempotent; the scripted transcoder stands in for the real one (seconds per video).
        await seed_demo_media(
            harness.assets,
            harness.storage,
            harness.uow,
            harness.clock,
            owner_id=given.INSTRUCTOR_ID,
            transcoder=harness.transcoder,
        )

    async def video_in_course() -> None:
        await instructors_video()
        async with harness.container() as request:
            attach = await request.get(AttachAsset)
            await attach.execute(instructor, given.VIDEO_ID, given.COURSE_ID)

    async def instructor_credentials(consumer: str) -> str:
        # Courses relays the instructor's own token: content decides what they may attach.
        return f"Bearer {harness.token(given.INSTRUCTOR_ID, 'instructor')}"

    with served(app) as running:
        yield ProviderUnderTest(
            "content",
            running,
            {given.INSTRUCTORS_VIDEO: instructors_video, given.VIDEO_IN_COURSE: video_in_course},
            instructor_credentials,
        )


@pytest.mark.parametrize("consumer", consumers_of("content"))
def test_content_honours_the_pact_of(consumer: str, content: ProviderUnderTest) -> None:
    content.verify(consumer)


# ------------------------------------------------------------ courses


@pytest.fixture(scope="module")
def courses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProviderUnderTest]:
    ids = ScriptedIds()
    harness = built(
        build_courses_test_app(tmp_path_factory.mktemp("courses"), replacing((IdGenerator, ids)))
    )
    instructor = Principal(given.INSTRUCTOR_ID, frozenset({"instructor"}))
    learner = Principal(given.LEARNER_ID, frozenset({"learner"}))
    made: set[str] = set()

    async def course_with_learner() -> None:
        if given.COURSE_ID in made:
            return
        async with httpx.AsyncClient(base_url=running.url) as api:
            ids.then(given.COURSE_ID)
            created = await api.post(
                "/api/v1/courses",
                json={
                    "title": "AWS Lambda in Practice",
                    "summary": "Serverless on AWS.",
                    "provider": "aws",
                    "level": "beginner",
                    "tags": ["lambda"],
                },
                headers=harness.auth(instructor),
            )
            assert created.json()["id"] == given.COURSE_ID, created.text
            module = await api.post(
                f"/api/v1/courses/{given.COURSE_ID}/modules",
                json={"title": "Getting started"},
                headers=harness.auth(instructor),
            )
            lesson = await api.post(
                f"/api/v1/courses/{given.COURSE_ID}/modules/{module.json()['id']}/lessons",
                json={"title": "Read the basics", "kind": "text", "duration_minutes": 4},
                headers=harness.auth(instructor),
            )
            published = await api.post(
                f"/api/v1/courses/{given.COURSE_ID}/publish", headers=harness.auth(instructor)
            )
            enrolled = await api.post(
                f"/api/v1/courses/{given.COURSE_ID}/enrollments", headers=harness.auth(learner)
            )
        assert [lesson.status_code, published.status_code, enrolled.status_code] == [201, 200, 201]
        made.add(given.COURSE_ID)

    async def as_composed() -> None:
        """Nothing to do: the course store is empty but for what other states made."""

    with served(harness.app) as running:
        yield ProviderUnderTest(
            "courses",
            running,
            {given.COURSE_WITH_LEARNER: course_with_learner, given.NO_SUCH_COURSE: as_composed},
            service_credentials(harness),
        )


@pytest.mark.parametrize("consumer", consumers_of("courses"))
def test_courses_honours_the_pact_of(consumer: str, courses: ProviderUnderTest) -> None:
    courses.verify(consumer)


# ------------------------------------------------------------ notifications


@pytest.fixture(scope="module")
def notifications(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProviderUnderTest]:
    harness = built(
        build_notifications_test_app(tmp_path_factory.mktemp("notifications"), FrozenClock())
    )

    async def as_composed() -> None:
        """Nothing to do: notifications mails whoever users names."""

    with served(harness.app) as running:
        yield ProviderUnderTest(
            "notifications",
            running,
            {given.MAIL_ACCEPTED: as_composed},
            service_credentials(harness),
        )


@pytest.mark.parametrize("consumer", consumers_of("notifications"))
def test_notifications_honours_the_pact_of(consumer: str, notifications: ProviderUnderTest) -> None:
    notifications.verify(consumer)


# ------------------------------------------------------------ labs


@pytest.fixture(scope="module")
def labs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProviderUnderTest]:
    ids = ScriptedIds()
    harness = built(build_labs_test_app(tmp_path_factory.mktemp("labs"), FrozenClock(), ids=ids))
    instructor = Principal(given.INSTRUCTOR_ID, frozenset({"instructor"}))
    learner = Principal(given.SESSION_LEARNER_ID, frozenset({"learner"}))
    made: set[str] = set()

    async def owners_template() -> None:
        if given.TEMPLATE_ID in made:
            return
        ids.then(given.TEMPLATE_ID)
        async with httpx.AsyncClient(base_url=running.url) as api:
            created = await api.post(
                "/api/v1/labs/templates", json=template_body(), headers=harness.auth(instructor)
            )
        assert created.json()["id"] == given.TEMPLATE_ID, created.text
        made.add(given.TEMPLATE_ID)

    async def learners_session() -> None:
        await owners_template()
        if given.SESSION_ID in made:
            return
        ids.then(given.SESSION_ID)
        async with httpx.AsyncClient(base_url=running.url) as api:
            launched = await api.post(
                "/api/v1/labs/sessions",
                json={"template_id": given.TEMPLATE_ID},
                headers=harness.auth(learner),
            )
        assert launched.json()["id"] == given.SESSION_ID, launched.text
        made.add(given.SESSION_ID)

    with served(harness.app) as running:
        yield ProviderUnderTest(
            "labs",
            running,
            {given.OWNERS_TEMPLATE: owners_template, given.LEARNERS_SESSION: learners_session},
            service_credentials(harness),
        )


@pytest.mark.parametrize("consumer", consumers_of("labs"))
def test_labs_honours_the_pact_of(consumer: str, labs: ProviderUnderTest) -> None:
    labs.verify(consumer)
