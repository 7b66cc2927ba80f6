"""What the assessments use cases need from the outside world, named for what it does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import quote

import msgspec

from cmh.assessments.domain.attempt import Attempt
from cmh.assessments.domain.certificate import Certificate
from cmh.assessments.domain.grading import LabTask
from cmh.assessments.domain.questions import Question
from cmh.assessments.domain.quiz import PinnedQuestion, Quiz


class QuestionRepository(Protocol):
    """Every version of every question; a stored version never changes."""

    async def add(self, question: Question) -> None: ...

    async def latest(self, question_id: str) -> Question | None: ...

    async def versions(self, pinned: Sequence[PinnedQuestion]) -> list[Question]:
        """The pinned versions, in the order given (missing ones left out)."""

    async def latest_of_course(self, course_id: str) -> list[Question]: ...


class QuizRepository(Protocol):
    async def get(self, quiz_id: str) -> Quiz | None: ...

    async def add(self, quiz: Quiz) -> None: ...

    async def save(self, quiz: Quiz) -> None:
        """Store a changed quiz; raises kernel ``Conflict`` when it changed meanwhile."""

    async def of_course(self, course_id: str) -> list[Quiz]: ...


class AttemptRepository(Protocol):
    async def get(self, attempt_id: str) -> Attempt | None: ...

    async def add(self, attempt: Attempt) -> None: ...

    async def save(self, attempt: Attempt) -> None:
        """Store a changed attempt; raises kernel ``Conflict`` when it changed meanwhile."""

    async def of_learner(self, quiz_id: str, user_id: str) -> list[Attempt]:
        """The learner's attempts at the quiz, oldest first."""

    async def of_quiz(self, quiz_id: str) -> list[Attempt]: ...

    async def of_user(self, user_id: str) -> list[Attempt]: ...

    async def abandoned(self, now: datetime, limit: int) -> list[Attempt]:
        """Attempts still open past their deadline at ``now``, earliest deadline first."""


class CertificateRepository(Protocol):
    async def get(self, certificate_id: str) -> Certificate | None: ...

    async def by_code(self, code: str) -> Certificate | None: ...

    async def add(self, certificate: Certificate) -> None:
        """Raises kernel ``Conflict`` when the learner already holds one for the course."""

    async def save(self, certificate: Certificate) -> None: ...

    async def of_learner(self, user_id: str) -> list[Certificate]: ...

    async def for_course(self, user_id: str, course_id: str) -> Certificate | None: ...


class LearnerRecords(Protocol):
    """What assessments keeps from other contexts' events: completed courses, validated
    lab tasks, learners' names and course titles."""

    async def record_completion(self, user_id: str, course_id: str, at: datetime) -> None: ...

    async def completed(self, user_id: str, course_id: str) -> bool: ...

    async def record_lab_tasks(
        self, user_id: str, template_id: str, task_ids: Sequence[str], at: datetime
    ) -> None: ...

    async def lab_tasks(self, user_id: str) -> set[LabTask]: ...

    async def record_name(self, user_id: str, name: str) -> None: ...

    async def name_of(self, user_id: str) -> str | None: ...

    async def record_course(self, course_id: str, title: str) -> None: ...

    async def course_title(self, course_id: str) -> str | None: ...

    async def forget(self, user_id: str) -> None: ...


class CourseMembership(msgspec.Struct, frozen=True, kw_only=True):
    course_id: str
    title: str
    status: str
    owner_id: str
    enrolled: bool


class CourseCatalog(Protocol):
    """Asked of courses: its owner and title, and whether ``user_id`` is enrolled."""

    async def membership(self, course_id: str, user_id: str) -> CourseMembership | None: ...


class CredentialSigner(Protocol):
    """Assessments' own credential keys (never the access-token keys): the active key
    signs; every key ever used stays published to verify what it signed."""

    def sign(self, credential: dict[str, Any]) -> dict[str, Any]:
        """``credential`` with its ``proof`` added."""

    def verify(self, credential: dict[str, Any]) -> bool:
        """Whether ``proof`` holds for every other field, under a published key."""

    def public_keys(self) -> list[dict[str, Any]]:
        """The JWKs, the retired ones included."""


class CertificateRenderer(Protocol):
    def render(
        self,
        *,
        learner_name: str,
        course_title: str,
        issued_at: datetime,
        code: str,
        verify_url: str,
    ) -> bytes:
        """The certificate as a PDF document."""


class ProctorVerdict(msgspec.Struct, frozen=True, kw_only=True):
    flagged: bool
    reasons: tuple[str, ...] = ()


class ExamPages(msgspec.Struct, frozen=True, kw_only=True):
    """The client's pages of one exam attempt, which the proctoring service watches:
    ``launch_url`` where the candidate lands once proctoring is set up, ``start`` where
    the exam begins, ``take`` while answering, ``end`` once submitted."""

    launch_url: str
    start: str
    take: str
    end: str


class Proctoring(Protocol):
    """The proctoring service that watches a proctored exam's attempt."""

    async def launch(
        self, *, attempt_id: str, user_id: str, full_name: str, quiz_id: str, pages: ExamPages
    ) -> str | None:
        """Where the candidate opens the attempt under proctoring (None: no proctoring in
        front of the pages). Raises kernel ``DependencyUnavailable`` when the service did
        not answer or refused the launch."""

    async def verdict(self, attempt_id: str, user_id: str, quiz_id: str) -> ProctorVerdict: ...


class PublicLinks(msgspec.Struct, frozen=True, kw_only=True):
    """Where the platform's public pages are (verification links on certificates)."""

    base_url: str

    def verify_url(self, code: str) -> str:
        return f"{self.base_url.rstrip('/')}/api/v1/certificates/verify/{code}"

    def exam_pages(self, quiz_id: str, attempt_id: str) -> ExamPages:
        """The client's pages of an exam attempt: ``/exams/{quiz_id}/attempts/{id}``,
        its ``/questions`` and its ``/result``."""
        page = f"{self.base_url.rstrip('/')}/exams/{quote(quiz_id, safe='')}/attempts/"
        page += quote(attempt_id, safe="")
        return ExamPages(
            launch_url=page, start=page, take=f"{page}/questions", end=f"{page}/result"
        )
