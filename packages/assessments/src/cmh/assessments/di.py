"""dishka providers of the Assessments context, one per adapter family.

A composition root takes the kernel's providers (clock, SQL, bus, auth,
``PrincipalProvider``, dishka's ``LitestarProvider``) and adds:

- ``AssessmentsSqlProvider`` or ``AssessmentsMemoryProvider`` for the stores,
- courses' ownership and enrollment: ``CoursesStandInProvider`` (memory; the embedded
  profile until the platform's in-process bridge replaces it) or ``CoursesHttpProvider``,
- ``LocalProctoringProvider`` (the proctoring stand-in) or ``ProctoringProvider``
  (Proctorio when ``AssessmentsSettings.proctorio`` has a consumer key, else the stand-in),
- ``CredentialsProvider`` (the signing keys, the PDF renderer, public links): with
  ``keys_required`` the process refuses to start without a configured key,
- ``AssessmentsUseCasesProvider`` (use cases, grading, certification, event handlers).

Context value: ``AssessmentsSettings``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from dishka import Provider, Scope, alias, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.assessments.adapters.courses.catalog import HttpCourseCatalog
from cmh.assessments.adapters.crypto.signer import Ed25519CredentialSigner, load_private_key
from cmh.assessments.adapters.memory.repositories import (
    MemoryAttemptRepository,
    MemoryCertificateRepository,
    MemoryLearnerRecords,
    MemoryQuestionRepository,
    MemoryQuizRepository,
)
from cmh.assessments.adapters.memory.services import LocalProctoring, MemoryCourseCatalog
from cmh.assessments.adapters.proctoring.proctorio import ProctorioProctoring
from cmh.assessments.adapters.sql.repositories import (
    SqlAttemptRepository,
    SqlCertificateRepository,
    SqlLearnerRecords,
    SqlQuestionRepository,
    SqlQuizRepository,
)
from cmh.assessments.application.author_question import AuthorQuestion
from cmh.assessments.application.certificate_pdf import RenderCertificate
from cmh.assessments.application.certification import Certification
from cmh.assessments.application.close_abandoned_attempts import CloseAbandonedAttempts
from cmh.assessments.application.create_quiz import CreateQuiz
from cmh.assessments.application.get_attempt import GetAttempt
from cmh.assessments.application.get_quiz import GetQuiz
from cmh.assessments.application.grading_service import Grader
from cmh.assessments.application.handle_user_erasure import HandleUserErasure
from cmh.assessments.application.lesson_quiz import LessonQuiz
from cmh.assessments.application.list_questions import ListQuestions
from cmh.assessments.application.my_certificates import MyCertificates
from cmh.assessments.application.ports import (
    AttemptRepository,
    CertificateRenderer,
    CertificateRepository,
    CourseCatalog,
    CredentialSigner,
    LearnerRecords,
    Proctoring,
    PublicLinks,
    QuestionRepository,
    QuizRepository,
)
from cmh.assessments.application.publish_quiz import PublishQuiz
from cmh.assessments.application.quiz_statistics import QuizStatistics
from cmh.assessments.application.record_course_completion import RecordCourseCompletion
from cmh.assessments.application.record_lab_tasks import RecordLabTasks
from cmh.assessments.application.record_names import RecordCourseTitle, RecordLearnerName
from cmh.assessments.application.review_attempt import ReviewHeldAttempt
from cmh.assessments.application.revise_question import ReviseQuestion
from cmh.assessments.application.revoke_certificate import RevokeCertificate
from cmh.assessments.application.save_answer import SaveAnswer
from cmh.assessments.application.start_attempt import StartAttempt
from cmh.assessments.application.submit_attempt import SubmitAttempt
from cmh.assessments.application.verify_certificate import CredentialKeys, VerifyCertificate
from cmh.assessments.consumers.handlers import (
    CourseCompletionHandler,
    CourseTitleHandler,
    LabTaskHandler,
    LearnerNameHandler,
    UserErasureHandler,
)
from cmh.assessments.settings import AssessmentsSettings
from cmh.kernel.clock import Clock
from cmh.kernel.event_mapping import EventMap
from cmh.kernel.uow import InMemoryUnitOfWork, UnitOfWork


class AssessmentsSqlProvider(Provider):
    """Stores on the request's ``AsyncSession`` (kernel ``SqlProvider``), so they share the
    unit of work's transaction. Run ``ASSESSMENTS_MIGRATIONS`` before serving."""

    scope = Scope.REQUEST

    @provide
    def questions(self, session: AsyncSession) -> QuestionRepository:
        return SqlQuestionRepository(session)

    @provide
    def quizzes(self, session: AsyncSession) -> QuizRepository:
        return SqlQuizRepository(session)

    @provide
    def attempts(self, session: AsyncSession) -> AttemptRepository:
        return SqlAttemptRepository(session)

    @provide
    def certificates(self, session: AsyncSession) -> CertificateRepository:
        return SqlCertificateRepository(session)

    @provide
    def records(self, session: AsyncSession) -> LearnerRecords:
        return SqlLearnerRecords(session)


class AssessmentsMemoryProvider(Provider):
    """In-memory stores whose writes are staged in the kernel ``InMemoryUnitOfWork`` this
    provider also gives as the ``UnitOfWork``."""

    scope = Scope.APP
    questions = provide(MemoryQuestionRepository, provides=QuestionRepository)
    quizzes = provide(MemoryQuizRepository, provides=QuizRepository)
    attempts = provide(MemoryAttemptRepository, provides=AttemptRepository)
    certificates = provide(MemoryCertificateRepository, provides=CertificateRepository)
    records = provide(MemoryLearnerRecords, provides=LearnerRecords)
    uow = alias(source=InMemoryUnitOfWork, provides=UnitOfWork)

    @provide
    def memory_uow(self, events: EventMap) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork("cloudmastershub/assessments", events)


class CoursesStandInProvider(Provider):
    """The stand-in for courses (``MemoryCourseCatalog``: a test arranges its courses)."""

    scope = Scope.APP
    catalog = alias(source=MemoryCourseCatalog, provides=CourseCatalog)

    @provide
    def memory_catalog(self) -> MemoryCourseCatalog:
        return MemoryCourseCatalog()


class CoursesHttpProvider(Provider):
    """Course ownership and enrollment from the courses service over HTTP."""

    scope = Scope.APP

    @provide
    def catalog(self, http: httpx.AsyncClient, settings: AssessmentsSettings) -> CourseCatalog:
        return HttpCourseCatalog(http, settings.courses)


class LocalProctoringProvider(Provider):
    """The local proctoring stand-in (flags nothing unless a test tells it to)."""

    scope = Scope.APP
    proctoring = alias(source=LocalProctoring, provides=Proctoring)

    @provide
    def local(self) -> LocalProctoring:
        return LocalProctoring()


class ProctoringProvider(Provider):
    """Proctorio when a consumer key is configured (``CMH_ASSESSMENTS__PROCTORIO__*``), on
    an HTTP client of its own closed with the container; the local stand-in otherwise."""

    scope = Scope.APP

    @provide
    def local(self) -> LocalProctoring:
        return LocalProctoring()

    @provide
    async def proctoring(
        self, settings: AssessmentsSettings, local: LocalProctoring, clock: Clock
    ) -> AsyncIterator[Proctoring]:
        proctorio = settings.proctorio
        if not proctorio.configured:
            yield local
            return
        seconds = proctorio.timeout_seconds
        timeout = httpx.Timeout(seconds, connect=min(2.0, seconds))
        async with httpx.AsyncClient(timeout=timeout) as http:
            yield ProctorioProctoring(http, proctorio, clock.now)


class CredentialsProvider(Provider):
    """The credential signer (``AssessmentsSettings.credential_keys``), the PDF renderer
    and the public links. ``keys_required``: no configured key, no start (distributed);
    otherwise the key file is made on first use, or a key of this process is used."""

    scope = Scope.APP

    def __init__(self, *, keys_required: bool) -> None:
        super().__init__()
        self._required = keys_required

    @provide
    def links(self, settings: AssessmentsSettings) -> PublicLinks:
        return PublicLinks(base_url=settings.public_url)

    @provide
    def signer(self, settings: AssessmentsSettings, clock: Clock) -> CredentialSigner:
        keys = settings.credential_keys
        return Ed25519CredentialSigner(
            load_private_key(keys, create=not self._required),
            issuer_url=settings.public_url,
            retired=keys.retired,
            now=clock.now,
        )

    @provide
    def renderer(self) -> CertificateRenderer:
        # ReportLab is imported with the first certificate drawn, not at every start.
        from cmh.assessments.adapters.pdf.renderer import ReportlabCertificateRenderer

        return ReportlabCertificateRenderer()


class AssessmentsUseCasesProvider(Provider):
    """Every use case and event handler (request scope), with grading and certification.
    Needs ``UnitOfWork``, ``Clock``, ``IdGenerator`` from the kernel and the ports above."""

    scope = Scope.REQUEST

    services = provide_all(Certification, Grader)
    commands = provide_all(
        AuthorQuestion,
        ReviseQuestion,
        CreateQuiz,
        PublishQuiz,
        StartAttempt,
        SaveAnswer,
        SubmitAttempt,
        CloseAbandonedAttempts,
        ReviewHeldAttempt,
        RevokeCertificate,
        RecordCourseCompletion,
        RecordLabTasks,
        RecordLearnerName,
        RecordCourseTitle,
        HandleUserErasure,
    )
    queries = provide_all(
        ListQuestions,
        GetQuiz,
        LessonQuiz,
        GetAttempt,
        QuizStatistics,
        MyCertificates,
        RenderCertificate,
        VerifyCertificate,
        CredentialKeys,
    )
    handlers = provide_all(
        UserErasureHandler,
        LearnerNameHandler,
        CourseTitleHandler,
        CourseCompletionHandler,
        LabTaskHandler,
    )


__all__ = [
    "AssessmentsMemoryProvider",
    "AssessmentsSqlProvider",
    "AssessmentsUseCasesProvider",
    "CoursesHttpProvider",
    "CoursesStandInProvider",
    "CredentialsProvider",
    "LocalProctoringProvider",
    "ProctoringProvider",
]
