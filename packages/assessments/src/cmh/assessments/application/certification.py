"""Issuing a certificate once it is earned: the course completed and its final exam (if it
has one) passed. Reached from both facts' use cases (whichever comes last issues), inside
their unit of work; a learner never holds two certificates for one course."""

from __future__ import annotations

from datetime import datetime

from cmh.assessments.application.credential import unsigned_credential
from cmh.assessments.application.ports import (
    AttemptRepository,
    CertificateRepository,
    CredentialSigner,
    LearnerRecords,
    PublicLinks,
    QuestionRepository,
    QuizRepository,
)
from cmh.assessments.domain.attempt import AttemptStatus
from cmh.assessments.domain.certificate import Certificate, earned
from cmh.assessments.domain.questions import QuestionKind
from cmh.assessments.domain.quiz import QuizKind, QuizStatus
from cmh.kernel.clock import IdGenerator
from cmh.kernel.uow import UnitOfWork


def verification_code(new_id: str) -> str:
    """Twelve characters a person can read out, in three groups of four after ``CMH-``
    (e.g. ``CMH-3F2A-91C0-7D4E``), taken from a fresh id."""
    digits = new_id.replace("-", "").upper()[:12]
    return f"CMH-{digits[0:4]}-{digits[4:8]}-{digits[8:12]}"


class Certification:
    def __init__(
        self,
        quizzes: QuizRepository,
        questions: QuestionRepository,
        attempts: AttemptRepository,
        certificates: CertificateRepository,
        records: LearnerRecords,
        signer: CredentialSigner,
        links: PublicLinks,
        uow: UnitOfWork,
        ids: IdGenerator,
    ) -> None:
        self._quizzes = quizzes
        self._questions = questions
        self._attempts = attempts
        self._certificates = certificates
        self._records = records
        self._signer = signer
        self._links = links
        self._uow = uow
        self._ids = ids

    async def issue_if_earned(self, user_id: str, course_id: str, now: datetime) -> bool:
        """Inside the caller's unit of work; True when a certificate was issued now."""
        if await self._certificates.for_course(user_id, course_id) is not None:
            return False
        exams = [
            q
            for q in await self._quizzes.of_course(course_id)
            if q.kind is QuizKind.EXAM and q.status is QuizStatus.PUBLISHED
        ]
        passed = False
        for exam in exams:
            for attempt in await self._attempts.of_learner(exam.id, user_id):
                graded = attempt.status is AttemptStatus.GRADED and attempt.grade is not None
                passed = passed or (graded and attempt.grade is not None and attempt.grade.passed)
        completed = await self._records.completed(user_id, course_id)
        if not earned(course_completed=completed, has_exam=bool(exams), exam_passed=passed):
            return False
        certificate_id = self._ids.new_id()
        code = verification_code(self._ids.new_id())
        name = await self._records.name_of(user_id) or "CloudMastersHub learner"
        title = await self._records.course_title(course_id) or f"Course {course_id}"
        lab_tasks = await self._lab_tasks_of_course(user_id, course_id)
        credential = self._signer.sign(
            unsigned_credential(
                certificate_id=certificate_id,
                issuer_url=self._links.base_url,
                verify_url=self._links.verify_url(code),
                learner_name=name,
                course_id=course_id,
                course_title=title,
                issued_at=now,
                lab_tasks=lab_tasks,
            )
        )
        certificate = Certificate.issue(
            certificate_id,
            code=code,
            user_id=user_id,
            course_id=course_id,
            course_title=title,
            learner_name=name,
            verify_url=self._links.verify_url(code),
            lab_tasks=lab_tasks,
            credential=credential,
            now=now,
        )
        await self._certificates.add(certificate)
        self._uow.track(certificate)
        return True

    async def _lab_tasks_of_course(self, user_id: str, course_id: str) -> list[str]:
        """The course's lab-task questions the learner's labs validated."""
        passed = await self._records.lab_tasks(user_id)
        if not passed:
            return []
        found = []
        for question in await self._questions.latest_of_course(course_id):
            key = question.key
            task = (key.lab_template_id or "", key.lab_task_id or "")
            if question.kind is QuestionKind.LAB_TASK and task in passed:
                found.append(f"{task[0]}/{task[1]}")
        return sorted(found)
