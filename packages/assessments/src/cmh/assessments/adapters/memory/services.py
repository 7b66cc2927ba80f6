"""Stand-ins for the services assessments asks: courses (a catalog a test or the demo
arranges) and the proctoring service (flags what a test tells it to)."""

from __future__ import annotations

from cmh.assessments.application.ports import CourseMembership, ExamPages, ProctorVerdict


class MemoryCourseCatalog:
    """Courses with their owner and title, and who is enrolled."""

    def __init__(self) -> None:
        self._courses: dict[str, tuple[str, str]] = {}
        self._enrolled: set[tuple[str, str]] = set()

    def add_course(self, course_id: str, *, owner_id: str, title: str) -> None:
        self._courses[course_id] = (owner_id, title)

    def enroll(self, user_id: str, course_id: str) -> None:
        self._enrolled.add((user_id, course_id))

    async def membership(self, course_id: str, user_id: str) -> CourseMembership | None:
        if course_id not in self._courses:
            return None
        owner_id, title = self._courses[course_id]
        return CourseMembership(
            course_id=course_id,
            title=title,
            status="published",
            owner_id=owner_id,
            enrolled=(user_id, course_id) in self._enrolled,
        )


class LocalProctoring:
    """The local stand-in: the candidate opens the exam's own page (nobody watches), and
    nothing is flagged unless ``flag`` was called for the learner."""

    def __init__(self) -> None:
        self._flagged: dict[str, tuple[str, ...]] = {}

    async def launch(
        self, *, attempt_id: str, user_id: str, full_name: str, quiz_id: str, pages: ExamPages
    ) -> str | None:
        return pages.launch_url

    def flag(self, user_id: str, *reasons: str) -> None:
        self._flagged[user_id] = reasons or ("flagged",)

    async def verdict(self, attempt_id: str, user_id: str, quiz_id: str) -> ProctorVerdict:
        reasons = self._flagged.get(user_id)
        return ProctorVerdict(flagged=reasons is not None, reasons=reasons or ())
