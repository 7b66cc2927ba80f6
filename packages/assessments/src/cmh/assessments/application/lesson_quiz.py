"""The published quiz of a quiz lesson (or, with ``lesson_id`` "exam", the course's final
exam) as a learner sees it: rules and size, never a question's key."""

from __future__ import annotations

from cmh.assessments.application.ports import AttemptRepository, QuestionRepository, QuizRepository
from cmh.assessments.application.views import LearnerQuizView, attempt_summary, rules_view
from cmh.assessments.domain.errors import QuizNotFound
from cmh.assessments.domain.quiz import Quiz, QuizKind, QuizStatus
from cmh.kernel.auth.principal import Principal

FINAL_EXAM = "exam"


async def published_quiz(quizzes: QuizRepository, course_id: str, lesson_id: str) -> Quiz:
    for quiz in await quizzes.of_course(course_id):
        if quiz.status is not QuizStatus.PUBLISHED:
            continue
        is_exam = quiz.kind is QuizKind.EXAM and lesson_id == FINAL_EXAM
        if is_exam or quiz.lesson_id == lesson_id:
            return quiz
    raise QuizNotFound(f"no published quiz for lesson {lesson_id} of course {course_id}")


class LessonQuiz:
    def __init__(
        self,
        quizzes: QuizRepository,
        questions: QuestionRepository,
        attempts: AttemptRepository,
    ) -> None:
        self._quizzes = quizzes
        self._questions = questions
        self._attempts = attempts

    async def execute(
        self, principal: Principal, course_id: str, lesson_id: str
    ) -> LearnerQuizView:
        quiz = await published_quiz(self._quizzes, course_id, lesson_id)
        pool = await self._questions.versions(quiz.pool)
        per_attempt = quiz.settings.questions_per_attempt or len(pool)
        # Every question of an attempt is drawn from the pool: with equal points, any draw
        # is worth the same; otherwise this is the most an attempt can be worth.
        best = sorted((q.points for q in pool), reverse=True)[:per_attempt]
        mine = await self._attempts.of_learner(quiz.id, principal.user_id)
        return LearnerQuizView(
            id=quiz.id,
            course_id=quiz.course_id,
            lesson_id=quiz.lesson_id,
            kind=str(quiz.kind),
            title=quiz.title,
            rules=rules_view(quiz.settings),
            question_count=per_attempt,
            max_score=sum(best),
            attempts=[attempt_summary(a) for a in mine],
        )
