"""An enrolled learner starts an attempt at a published quiz: its questions drawn for this
attempt, its deadline set by the server's clock. 409 while one is open, when the
attempts are used up, or during the cool-down. An earlier attempt left open past its
deadline is closed first: timed out and graded with what was saved by then.

A proctored exam's attempt is launched with the proctoring service before it is stored:
the attempt answers the ``proctoring_url`` the client opens; when the service does not
answer (``DependencyUnavailable``, 503) no attempt is started."""

from __future__ import annotations

import zlib
from datetime import datetime

from cmh.assessments.application.access import CourseNotFound, teaches
from cmh.assessments.application.grading_service import Grader
from cmh.assessments.application.ports import (
    AttemptRepository,
    CourseCatalog,
    LearnerRecords,
    Proctoring,
    PublicLinks,
    QuestionRepository,
    QuizRepository,
)
from cmh.assessments.application.views import AttemptView, attempt_view
from cmh.assessments.domain.attempt import OPEN, Attempt
from cmh.assessments.domain.errors import QuizNotFound, QuizNotPublished
from cmh.assessments.domain.quiz import Quiz, QuizStatus
from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import Clock, IdGenerator
from cmh.kernel.errors import Forbidden
from cmh.kernel.uow import UnitOfWork


class StartAttempt:
    def __init__(
        self,
        quizzes: QuizRepository,
        questions: QuestionRepository,
        attempts: AttemptRepository,
        catalog: CourseCatalog,
        grader: Grader,
        proctoring: Proctoring,
        records: LearnerRecords,
        links: PublicLinks,
        uow: UnitOfWork,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._grader = grader
        self._proctoring = proctoring
        self._records = records
        self._links = links
        self._quizzes = quizzes
        self._questions = questions
        self._attempts = attempts
        self._catalog = catalog
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, principal: Principal, quiz_id: str) -> AttemptView:
        quiz = await self._quizzes.get(quiz_id)
        if quiz is None:
            raise QuizNotFound(f"quiz {quiz_id} not found")
        if quiz.status is not QuizStatus.PUBLISHED:
            raise QuizNotPublished(f"quiz {quiz_id} is not published")
        course = await self._catalog.membership(quiz.course_id, principal.user_id)
        if course is None:
            raise CourseNotFound(f"course {quiz.course_id} not found")
        if not (course.enrolled or teaches(principal, course)):
            raise Forbidden("enroll in the course to take its quizzes", code="not_enrolled")
        now = self._clock.now()
        async with self._uow:
            previous = await self._attempts.of_learner(quiz.id, principal.user_id)
            for abandoned in [a for a in previous if a.status in OPEN and now > a.deadline]:
                await self._time_out(abandoned, now)
            attempt = Attempt.start(
                self._ids.new_id(),
                quiz=quiz,
                user_id=principal.user_id,
                previous=previous,
                seed=zlib.crc32(self._ids.new_id().encode()),
                now=now,
            )
            if quiz.settings.proctored:
                await self._launch_proctoring(attempt, quiz)
            await self._attempts.add(attempt)
            self._uow.track(attempt)
            await self._uow.commit()
        questions = await self._questions.versions(attempt.questions)
        return attempt_view(attempt, questions, show_answers=False)

    async def _launch_proctoring(self, attempt: Attempt, quiz: Quiz) -> None:
        name = await self._records.name_of(attempt.user_id) or "CloudMastersHub learner"
        url = await self._proctoring.launch(
            attempt_id=attempt.id,
            user_id=attempt.user_id,
            full_name=name,
            quiz_id=quiz.id,
            pages=self._links.exam_pages(quiz.id, attempt.id),
        )
        if url is not None:
            attempt.proctor(url)

    async def _time_out(self, attempt: Attempt, now: datetime) -> None:
        counted = attempt.submit(now)
        await self._grader.grade_closed(attempt, counted, now)
        await self._attempts.save(attempt)
        self._uow.track(attempt)
        await self._grader.after_grading(attempt, now)
