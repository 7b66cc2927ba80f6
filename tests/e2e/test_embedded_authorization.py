"""Object-level authorization on the embedded platform, generated from its OpenAPI document:
every operation whose path names an owned object is called as its owner, another learner,
an instructor who owns nothing, anonymously and as an admin, on a real object made through
the public API. Owners (and admins where the README says so) get through; everybody else is
refused with 403 or 404, anonymous callers with 401. A parameterised operation that is
neither in ``GUARDED`` nor, with its reason, in ``NOT_OWNED`` fails the run, so a new route
is covered (or consciously excused) the day it lands.

The JWT attack set runs on the same platform: every forged token on every authenticated
operation of every context is answered 401.

Run alone: ``pytest tests/e2e/test_embedded_authorization.py -q -s`` (prints the totals)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
import pytest_asyncio
from litestar.testing import AsyncTestClient

from cmh.apps.platform.app import create_app
from cmh.apps.platform.settings import PlatformSettings
from cmh.gateway.domain.access import RouteClass
from cmh.gateway.settings import RateLimitSettings, RateLimitsSettings
from cmh.kernel.auth.tokens import SigningKey, TokenSettings
from cmh_testing.kernel.token_attacks import forged_access_tokens
from cmh_testing.users.app import CHEAP_HASHING
from tests.e2e import authz_world as objects
from tests.e2e.authz_world import Params, World, build_world

pytestmark = pytest.mark.asyncio(loop_scope="module")

OWNER, LEARNER, INSTRUCTOR, ANONYMOUS, ADMIN = (
    "owner",
    "another learner",
    "non-owning instructor",
    "anonymous",
    "admin",
)
ACTORS = (OWNER, LEARNER, INSTRUCTOR, ANONYMOUS, ADMIN)
OWNER_OR_ADMIN = frozenset({OWNER, ADMIN})


@dataclass(frozen=True)
class Guarded:
    """How to reach one owned object: who owns it (a key of ``World.headers``), how to make
        one, who may act on it, and a valid body (so a refusal is about the caller, not the
        input). ``consumes``: a success uses the object up, so each caller allowed through gets
        an object of its own and the operation runs after the others; ``last``: it only runs
    after them."""

    owner: str
    make: Callable[[World], Awaitable[Params]]
    allowed: frozenset[str] = OWNER_OR_ADMIN
    body: dict[str, Any] | Callable[[World, Params], dict[str, Any]] | None = None
    query: dict[str, str] | None = None
    consumes: bool = False
    # Readable by anyone (drafts excepted): an anonymous caller is refused like a stranger.
    public: bool = False
    last: bool = False  # runs after the others (it changes its object's state)

    @property
    def runs_last(self) -> bool:
        return self.consumes or self.last


MODERATION = {"reason": "checking who may moderate"}
GUARDED: dict[str, Guarded] = {
    # users
    "users_get": Guarded("learner", objects.learner_profile),
    "admin_update_user": Guarded(
        "subject", objects.subject_profile, frozenset({ADMIN}), {"roles": ["learner"]}
    ),
    # courses: an instructor's draft
    "courses_get": Guarded("author", objects.draft_course, public=True),
    "courses_update": Guarded("author", objects.draft_course, body={"summary": "VPCs."}),
    "courses_add_module": Guarded("author", objects.draft_course, body={"title": "More"}),
    "courses_add_lesson": Guarded(
        "author", objects.draft_course, body={"title": "Routes", "kind": "text"}
    ),
    "courses_reorder_modules": Guarded(
        "author", objects.course_to_reorder, body=lambda _, p: {"module_ids": [p["module_id"]]}
    ),
    "courses_reorder_lessons": Guarded(
        "author", objects.course_to_reorder, body=lambda _, p: {"lesson_ids": [p["lesson_id"]]}
    ),
    "courses_get_lesson_content": Guarded("author", objects.draft_course),
    "courses_put_lesson_content": Guarded(
        "author", objects.draft_course, body={"blocks": [{"kind": "paragraph", "text": "A VPC."}]}
    ),
    "courses_publish": Guarded("author", objects.draft_course, consumes=True),
    "courses_archive": Guarded("author", objects.draft_course, consumes=True),
    # content: an instructor's asset
    "content_get_asset": Guarded("author", objects.asset),
    "content_confirm_upload": Guarded("author", objects.asset),
    # labs: an instructor's template, a learner's session
    "labs_templates_update": Guarded(
        "author", objects.template, body={"description": "Checked by the matrix."}
    ),
    "labs_sessions_get": Guarded("pro", objects.lab_session),
    "labs_sessions_extend": Guarded("pro", objects.lab_session, frozenset({OWNER}), {"minutes": 5}),
    "labs_sessions_validate": Guarded("pro", objects.lab_session, frozenset({OWNER})),
    "labs_sessions_end": Guarded("pro", objects.lab_session, last=True),
    # assessments: the course instructor's quiz and questions, a learner's attempt
    "assessments_questions_revise": Guarded(
        "author", objects.question, body={"explanation": "Revised by the matrix."}
    ),
    "assessments_quizzes_get": Guarded("author", objects.quiz),
    "assessments_quizzes_publish": Guarded("author", objects.quiz),
    "assessments_quizzes_statistics": Guarded("author", objects.quiz),
    "assessments_attempts_get": Guarded("pro", objects.attempt),
    "assessments_attempts_answer": Guarded(
        "pro", objects.attempt, frozenset({OWNER}), lambda w, p: {"value": w.keys[p["question_id"]]}
    ),
    "assessments_attempts_submit": Guarded("pro", objects.attempt, frozenset({OWNER}), last=True),
    # the review is the course's instructors' (and admins'): the learner is refused too
    "assessments_attempts_review": Guarded("author", objects.attempt, body={"cleared": True}),
    "certificates_pdf": Guarded("learner", objects.certificate, frozenset({OWNER})),
    "certificates_revoke": Guarded(
        "learner", objects.certificate, frozenset({ADMIN}), {"reason": "matrix"}, last=True
    ),
    # notifications: a learner's inbox entry
    "notifications_read": Guarded("learner", objects.notification, frozenset({OWNER})),
    "notifications_delete": Guarded("learner", objects.notification, frozenset({OWNER}), last=True),
    # forum: a learner's question (the other learner, a member of the board, replied)
    "forum_posts_edit": Guarded(
        "learner", objects.forum_thread, body={"body": "Edited by its author."}
    ),  # moderators edit too (README)
    "forum_posts_delete": Guarded(
        "pro", objects.pro_forum_thread, query={"reason": "moderated"}, consumes=True
    ),
    "forum_answers_accept": Guarded("learner", objects.forum_reply, consumes=True),
    "forum_moderation_hide": Guarded(
        "learner", objects.forum_thread, frozenset({ADMIN}), MODERATION, last=True
    ),
    "forum_moderation_unhide": Guarded(
        "learner", objects.forum_thread, frozenset({ADMIN}), MODERATION
    ),
    "forum_moderation_thread": Guarded(
        "learner", objects.forum_thread, frozenset({ADMIN}), MODERATION, last=True
    ),
    # analytics: the course owner's reports
    "analytics_course_report": Guarded("author", objects.published_course),
    "analytics_course_chart": Guarded("author", objects.published_course),
}

NOT_OWNED: dict[str, str] = {
    "users_get": "",
    "media_download": "no bearer token: the key is a short-lived signed URL (content's tests)",
    "media_upload": "no bearer token: the key is a short-lived signed URL (content's tests)",
    "certificates_verify": "public by design: anyone verifies a certificate by its code",
    "payments_stand_in_checkout": "embedded stand-in for Stripe's hosted page: no sign-in",
    "payments_stand_in_pay": "embedded stand-in for Stripe's hosted page: no sign-in",
    "payments_subscription_release_seat": (
        "acts on the caller's own subscription (`/me`); the id is a member, not an object"
    ),
    "labs_templates_get": "templates are a catalogue every signed-in user reads (README)",
    "assessments_attempts_start": "starts the caller's own attempt; enrollment decides",
    "assessments_lesson_quiz": "the learner's view of a published quiz: any signed-in user",
    "courses_enroll": "the caller's own enrollment in a public course",
    "courses_unenroll": "the caller's own enrollment (`/enrollments/me`)",
    "courses_complete_lesson": "the caller's own progress in a public course",
    "courses_save_position": "the caller's own progress in a public course",
    "courses_get_progress": "the caller's own progress in a public course",
    "courses_lesson_playback": "enrollment, not ownership, decides (test_embedded_learning)",
    "courses_lesson_lab_launch": "launches the caller's own session; enrollment decides",
    "forum_threads_list": "board membership, not ownership, decides (test_embedded_forum)",
    "forum_threads_start": "board membership, not ownership, decides (test_embedded_forum)",
    "forum_threads_get": "board membership, not ownership, decides (test_embedded_forum)",
    "forum_threads_follow": "the caller's own follow of a thread they may read",
    "forum_threads_unfollow": "the caller's own follow of a thread they may read",
    "forum_replies_post": "board membership, not ownership, decides (test_embedded_forum)",
    "forum_posts_react": "any member reacts to any post they may read (one per kind)",
    "forum_posts_report": "any member reports any post they may read (once)",
    "forum_moderation_ban": "moderators only: the same guard as forum_moderation_hide",
    "forum_moderation_lift_ban": "moderators only: the same guard as forum_moderation_hide",
}
del NOT_OWNED["users_get"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    data: Path = tmp_path_factory.mktemp("platform")
    # Roomy rate limits: the attack set sends well over a thousand requests from one address
    # (the limits have tests of their own); everything else is as `make run` builds it.
    roomy = RateLimitSettings(1_000_000)
    limits = RateLimitsSettings(**{bucket.value: roomy for bucket in RouteClass})
    settings = PlatformSettings(data_dir=str(data))
    settings = msgspec.structs.replace(
        settings, gateway=msgspec.structs.replace(settings.gateway, rate_limits=limits)
    )
    app = create_app(settings, CHEAP_HASHING)
    async with AsyncTestClient(app) as client:
        built = await build_world(client)
        built.data_dir = data
        yield built


def parameterised_operations(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in document["paths"].items()
        if "{" in path
        for method, operation in methods.items()
    }


async def test_every_parameterised_route_is_guarded_or_excused(world: World) -> None:
    document = (await world.client.get("/schema/openapi.json")).json()
    operations = parameterised_operations(document)
    unlisted = sorted(set(operations) - set(GUARDED) - set(NOT_OWNED))
    assert not unlisted, f"add these to GUARDED or, with a reason, to NOT_OWNED: {unlisted}"
    stale = sorted((set(GUARDED) | set(NOT_OWNED)) - set(operations))
    assert not stale, f"these operations are gone: {stale}"
    assert not set(GUARDED) & set(NOT_OWNED)
    assert all(NOT_OWNED.values())


def principal_of(guarded: Guarded, actor: str) -> str | None:
    match actor:
        case "owner":
            return guarded.owner
        case "another learner":
            return "other" if guarded.owner != "other" else "learner"
        case "non-owning instructor":
            return "rival"
        case "admin":
            return "admin"
    return None


def verdict(actor: str, guarded: Guarded, status: int) -> str | None:
    """None when the answer is the expected one, else what went wrong."""
    if actor == ANONYMOUS:
        if guarded.public and status in (403, 404):
            return None
        return None if status == 401 else "anonymous not refused with 401"
    if actor in guarded.allowed:
        # 409: the guard let the caller through and the object's state said no.
        return None if 200 <= status < 300 or status == 409 else "the rightful caller refused"
    return None if status in (403, 404) else "a foreign caller not refused with 403/404"


async def test_every_owned_object_answers_only_its_owner(world: World) -> None:
    document = (await world.client.get("/schema/openapi.json")).json()
    operations = parameterised_operations(document)
    cells, violations, conflicts = 0, [], []
    # Operations that use their object up run last; within one, the refusals come first.
    ordered = sorted(GUARDED.items(), key=lambda item: item[1].runs_last)
    for operation_id, guarded in ordered:
        method, template = operations[operation_id]
        shared = await world.get(
            operation_id if guarded.consumes else guarded.make.__name__, guarded.make
        )
        for actor in sorted(ACTORS, key=lambda a: a in guarded.allowed):
            params = shared
            if guarded.consumes and actor in guarded.allowed:
                params = await guarded.make(world)
            principal = principal_of(guarded, actor)
            headers = world.headers[principal] if principal else {}
            answer = await world.client.request(
                method,
                template.format(**params),
                headers=headers,
                json=guarded.body(world, params) if callable(guarded.body) else guarded.body,
                params=guarded.query,
            )
            cells += 1
            if answer.status_code == 409:
                conflicts.append(f"{operation_id} as {actor}")
            wrong = verdict(actor, guarded, answer.status_code)
            if wrong:
                violations.append(
                    f"{method} {template} as {actor}: {answer.status_code} ({wrong}) "
                    f"{answer.text[:160]}"
                )
    excused = len(NOT_OWNED)
    print(
        f"\nauthorization matrix: {len(GUARDED)} operations x {len(ACTORS)} callers = "
        f"{cells} cells, {len(violations)} violations; {excused} parameterised operations "
        f"excused with a reason; {len(conflicts)} allowed calls met a 409 for the object's "
        f"state: {', '.join(conflicts)}"
    )
    assert not violations, "\n".join(violations)


CONTEXTS = {
    "auth": "users",
    "users": "users",
    "user": "users",
    "courses": "courses",
    "content": "content",
    "labs": "labs",
    "assessments": "assessments",
    "certificates": "assessments",
    "payments": "payments",
    "forum": "forum",
    "notifications": "notifications",
    "analytics": "analytics",
    "recommendations": "analytics",
    # The embedded platform's own route (its in-process bus's dead letters): no service's.
    "dead": "platform",
}


def context_of(operation_id: str) -> str:
    return next(CONTEXTS[word] for word in operation_id.split("_") if word in CONTEXTS)


async def attack_tokens(world: World) -> dict[str, str]:
    """The forged set, signed where it matters with the platform's own key, plus what only a
    running platform has: a refresh token, and the access token of an account since erased."""
    key = SigningKey.from_pem((world.data_dir / "dev-signing-key.pem").read_bytes())
    tokens = forged_access_tokens(key, TokenSettings(), world.ids["learner"], datetime.now(UTC))
    login = await world.client.post(
        "/api/v1/auth/login",
        json={"email": objects.LEARNER.email, "password": objects.LEARNER.password},
    )
    tokens["a refresh token as the access token"] = login.json()["refresh_token"]
    await world.register("erased", "erased@example.org")
    erased = world.headers["erased"]
    assert (await world.client.delete("/api/v1/users/me", headers=erased)).status_code == 204
    tokens["an erased account's token"] = erased["authorization"].removeprefix("Bearer ")
    return tokens


async def test_every_token_attack_is_refused_on_every_authenticated_route(world: World) -> None:
    document = (await world.client.get("/schema/openapi.json")).json()
    tokens = await attack_tokens(world)
    routes = [
        (method.upper(), path, operation["operationId"])
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if {"BearerToken": []} in (operation.get("security") or [])
    ]
    contexts = sorted({context_of(operation_id) for _, _, operation_id in routes})
    # Every context (and the platform's own routes); the gateway has tests of its own.
    assert len(set(contexts) - {"platform"}) == 9, contexts
    accepted, wrong, requests = [], [], 0
    for attack, token in tokens.items():
        for method, path, _ in routes:
            url = re.sub(r"\{[^}]+\}", "nothing-here", path)
            answer = await world.client.request(
                method, url, headers={"authorization": f"Bearer {token}"}
            )
            requests += 1
            if answer.status_code < 400:
                accepted.append(f"{attack}: {method} {path} -> {answer.status_code}")
            elif answer.status_code != 401:
                wrong.append(f"{attack}: {method} {path} -> {answer.status_code}")
    print(
        f"\ntoken attacks: {len(tokens)} attacks x {len(contexts)} services "
        f"({len(routes)} authenticated operations) = {requests} requests, "
        f"{len(accepted)} accepted, {len(wrong)} answered other than 401"
    )
    assert not accepted, "\n".join(accepted)
    assert not wrong, "\n".join(wrong)
