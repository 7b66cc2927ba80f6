"""A steady mix through the gateway, as users make it: logins (1/s), catalog reads (list
and detail, 4/s) and course writes (create, module, lesson, publish: back to back, one
course every ~1.5 s). Every answer is recorded with its time; a course whose publish was
answered 2xx is *accepted*: it must become exactly one event and one indexed course.

With ``learners``, a classroom of learners of their own: each enrolls in every course just
accepted, in turn, and completes its one lesson (enrollment, lesson and course completion:
three events for two requests, the platform's most frequent traffic); a completion answered
2xx must become exactly one ``course.completed`` for that learner and course."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import httpx

from tests.chaos.accounts import backoff, log_in, pause, sign_up
from tests.chaos.lab_load import LabLearners

REQUEST_TIMEOUT = 10.0
# The gateway's word that the upstream's answer never came (an instance killed mid-request).
NO_UPSTREAM_ANSWER = frozenset({502, 504})


def _outcome_unknown(response: httpx.Response) -> bool:
    """Whether a failed write may still have been made: its answer was lost on the way
    back, or the database went away during the request (perhaps at the commit itself)."""
    if response.status_code in NO_UPSTREAM_ANSWER:
        return True
    return response.status_code == 503 and "store_unavailable" in response.text


class Completion(NamedTuple):
    course_id: str
    user_id: str


@dataclass(frozen=True)
class Answer:
    at: float  # time.monotonic()
    kind: str  # login | read | write
    status: int  # 0: no answer (transport error or timeout)
    detail: str = ""  # the start of a failed answer's body (its problem code), or the error


@dataclass
class Mix:
    gateway: str
    email: str
    password: str
    answers: list[Answer] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)  # course ids published with a 2xx
    refused: list[str] = field(default_factory=list)  # course ids whose publish failed
    uncertain: list[str] = field(default_factory=list)  # refused, yet perhaps published
    # Course writers side by side (each writes one course after another, every
    # ``write_period`` seconds at most): the event rate of the mix.
    writers: int = 1
    write_period: float = 0.5
    # Learners side by side, each taking every accepted course in turn (enroll, then
    # complete its lesson, every ``learn_period`` seconds at most).
    learners: int = 0
    learn_period: float = 0.5
    # (course id, learner id) completed with a 2xx, and those whose answer was lost
    completed: list[Completion] = field(default_factory=list)
    uncertain_completions: list[Completion] = field(default_factory=list)
    # Lab learners side by side (tests/chaos/lab_load.py), on a stack with labs.
    lab_learners: int = 0
    labs: LabLearners | None = None
    _token: str = ""
    _lessons: dict[str, str] = field(default_factory=dict)  # course id -> its one lesson

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if start <= a.at < end]

    async def run(self, stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(base_url=self.gateway, timeout=REQUEST_TIMEOUT) as client:
            await self._login(client)
            if not self._token:
                raise RuntimeError(f"cannot log in through {self.gateway}: {self.answers[-1:]}")
            seed = await self._write_course(client)
            if self.lab_learners:
                self.labs = LabLearners(self._call, self.lab_learners)
                await self.labs.author(client, self._auth())
            await asyncio.gather(
                *([self.labs.run(client, stop)] if self.labs else []),
                *(self._learner(client, stop) for _ in range(self.learners)),
                self._every(1.0, stop, lambda: self._login(client)),
                self._every(0.25, stop, lambda: self._read(client, seed)),
                *(
                    self._every(self.write_period, stop, lambda: self._write_course(client))
                    for _ in range(self.writers)
                ),
            )

    async def _every(
        self, period: float, stop: asyncio.Event, step: Callable[[], Awaitable[object]]
    ) -> None:
        while not stop.is_set():
            started = time.monotonic()
            await step()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, period - (time.monotonic() - started)))

    async def _call(
        self, client: httpx.AsyncClient, kind: str, method: str, path: str, **kwargs: object
    ) -> httpx.Response | None:
        try:
            response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            self.answers.append(Answer(time.monotonic(), kind, 0, repr(exc)[:200]))
            return None
        failed = not 200 <= response.status_code < 300
        detail = f"{method} {path}: {response.text[:200]}" if failed else ""
        self.answers.append(Answer(time.monotonic(), kind, response.status_code, detail))
        return response

    def _auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self._token}"}

    async def _login(self, client: httpx.AsyncClient) -> None:
        response = await self._call(
            client,
            "login",
            "POST",
            "/api/v1/auth/login",
            json={"email": self.email, "password": self.password},
        )
        if response is not None and response.status_code == 200:
            self._token = response.json()["access_token"]

    async def _read(self, client: httpx.AsyncClient, seed: str | None) -> None:
        await self._call(client, "read", "GET", "/api/v1/courses", params={"limit": 10})
        if seed:
            await self._call(client, "read", "GET", f"/api/v1/courses/{seed}")

    async def _write_course(self, client: httpx.AsyncClient) -> str | None:
        created = await self._call(
            client,
            "write",
            "POST",
            "/api/v1/courses",
            headers=self._auth(),
            json={
                "title": "Chaos: staying up while Kafka is down",
                "provider": "aws",
                "level": "beginner",
                "summary": "Written while the broker may be away.",
                "tags": ["chaos"],
            },
        )
        if created is None or created.status_code != 201:
            return None
        course_id: str = created.json()["id"]
        module = await self._call(
            client,
            "write",
            "POST",
            f"/api/v1/courses/{course_id}/modules",
            headers=self._auth(),
            json={"title": "Outbox"},
        )
        if module is None or module.status_code != 201:
            return None
        lesson = await self._call(
            client,
            "write",
            "POST",
            f"/api/v1/courses/{course_id}/modules/{module.json()['id']}/lessons",
            headers=self._auth(),
            json={"title": "Writes wait, then leave", "kind": "text", "duration_minutes": 5},
        )
        if lesson is None or lesson.status_code != 201:
            return None
        self._lessons[course_id] = lesson.json()["id"]
        published = await self._call(
            client, "write", "POST", f"/api/v1/courses/{course_id}/publish", headers=self._auth()
        )
        if published is not None and published.status_code == 200:
            self.accepted.append(course_id)
            return course_id
        if published is None or _outcome_unknown(published):
            self.uncertain.append(course_id)
        self.refused.append(course_id)
        return None

    async def _learner(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        """One learner of its own: arrives within the first 10 s, signs up, then takes
        every accepted course in turn, logging in again every minute."""
        await pause(stop, random.uniform(0.0, 10.0))  # noqa: S311 - a classroom trickles in
        learner = await sign_up(self._call, client, stop, "learn", "chaos-learner")
        signed_in_at = time.monotonic()
        failed_logins = 0
        taken = 0  # how far along ``accepted`` this learner is
        while learner is not None and not stop.is_set():
            started = time.monotonic()
            if started - signed_in_at > 60:  # well inside the access token's 15 minutes
                if await log_in(self._call, client, learner, "login"):
                    signed_in_at, failed_logins = started, 0
                else:  # tried again after a back-off, the old token still good meanwhile
                    signed_in_at = started - 60 + backoff(failed_logins)
                    failed_logins += 1
            if learner.auth and taken < len(self.accepted):
                await self._learn(
                    client, learner.auth, Completion(self.accepted[taken], learner.user_id)
                )
                taken += 1
            await pause(stop, max(0.01, self.learn_period - (time.monotonic() - started)))

    async def _learn(
        self, client: httpx.AsyncClient, auth: dict[str, str], completion: Completion
    ) -> None:
        course = completion.course_id
        enrolled = await self._call(
            client, "learn", "POST", f"/api/v1/courses/{course}/enrollments", headers=auth
        )
        if enrolled is None or enrolled.status_code not in (200, 201, 409):
            return  # not enrolled (or not known to be): the course is left untaken
        done = await self._call(
            client,
            "learn",
            "POST",
            f"/api/v1/courses/{course}/lessons/{self._lessons[course]}/complete",
            headers=auth,
        )
        if done is not None and done.status_code == 200:
            self.completed.append(completion)
        elif done is None or _outcome_unknown(done):
            self.uncertain_completions.append(completion)
