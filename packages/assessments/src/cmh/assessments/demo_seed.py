"""Demo quizzes for both profiles: each quiz lesson of the demo instructor's
courses gets a quiz, and the first course a proctored-free final exam, authored and
published through the same use cases the API calls. Skipped for a course that already
has quizzes, so a restart adds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from dishka import AsyncContainer

from cmh.assessments.application.author_question import AuthorQuestion, NewQuestion
from cmh.assessments.application.create_quiz import CreateQuiz, NewQuiz, QuizRules
from cmh.assessments.application.ports import QuizRepository
from cmh.assessments.application.publish_quiz import PublishQuiz
from cmh.assessments.application.question_specs import ChoiceSpec, KeySpec
from cmh.assessments.domain.questions import QuestionKind
from cmh.assessments.domain.quiz import QuizKind
from cmh.kernel.auth.principal import Principal


class DemoCourseRef(Protocol):
    """A seeded course and its quiz lessons (id, title), as courses seeded them."""

    @property
    def course_id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def quiz_lessons(self) -> tuple[tuple[str, str], ...]: ...


def _question(kind: QuestionKind, prompt: str, key: KeySpec, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "prompt": prompt, "key": key, **more}


def _choices(*texts: str) -> list[ChoiceSpec]:
    return [ChoiceSpec(id=chr(ord("a") + i), text=text) for i, text in enumerate(texts)]


QUIZ_QUESTIONS = (
    _question(
        QuestionKind.SINGLE,
        "Which service stores objects such as images and backups?",
        KeySpec(choice_ids=["b"]),
        choices=_choices("A virtual machine", "Object storage", "A load balancer"),
        skills=["storage"],
        explanation="Object storage (S3, Blob Storage, Cloud Storage) keeps files as objects.",
    ),
    _question(
        QuestionKind.TRUE_FALSE,
        "A region is made of several isolated availability zones.",
        KeySpec(truth=True),
        skills=["global-infrastructure"],
        explanation="Zones are isolated locations within one region.",
    ),
    _question(
        QuestionKind.MULTIPLE,
        "Which of these are managed compute services?",
        KeySpec(choice_ids=["a", "c"]),
        choices=_choices("Functions (serverless)", "A DNS zone", "Managed Kubernetes"),
        skills=["compute"],
    ),
)

EXAM_QUESTIONS = (
    *QUIZ_QUESTIONS,
    _question(
        QuestionKind.NUMERIC,
        "How many availability zones must a highly available design span at least?",
        KeySpec(value=2, tolerance=0),
        skills=["global-infrastructure"],
    ),
    _question(
        QuestionKind.SHORT_TEXT,
        "Name the model that splits security duties between provider and customer.",
        KeySpec(accepted=["shared responsibility", "shared responsibility model"]),
        skills=["security"],
    ),
)


async def _author(
    container: AsyncContainer,
    author: Principal,
    course_id: str,
    questions: Sequence[dict[str, Any]],
) -> list[str]:
    ids = []
    for question in questions:
        async with container() as request:
            created = await (await request.get(AuthorQuestion)).execute(
                author, NewQuestion(course_id=course_id, points=1, **question)
            )
        ids.append(created.id)
    return ids


async def _publish(container: AsyncContainer, author: Principal, quiz: NewQuiz) -> str:
    async with container() as request:
        draft = await (await request.get(CreateQuiz)).execute(author, quiz)
    async with container() as request:
        await (await request.get(PublishQuiz)).execute(author, draft.id)
    return draft.id


async def seed_demo_assessments(
    container: AsyncContainer, *, instructor_id: str, courses: Sequence[DemoCourseRef]
) -> list[str]:
    """The new quiz ids (none when the courses already have theirs)."""
    author = Principal(user_id=instructor_id, roles=frozenset({"instructor"}))
    created: list[str] = []
    for position, course in enumerate(courses):
        async with container() as request:
            if await (await request.get(QuizRepository)).of_course(course.course_id):
                continue
        for lesson_id, lesson_title in course.quiz_lessons:
            ids = await _author(container, author, course.course_id, QUIZ_QUESTIONS)
            rules = QuizRules(time_limit_minutes=15, passing_percent=60)
            created.append(
                await _publish(
                    container,
                    author,
                    NewQuiz(
                        course_id=course.course_id,
                        lesson_id=lesson_id,
                        title=lesson_title,
                        question_ids=ids,
                        rules=rules,
                    ),
                )
            )
        if position == 0:
            ids = await _author(container, author, course.course_id, EXAM_QUESTIONS)
            exam_rules = QuizRules(
                time_limit_minutes=30,
                passing_percent=70,
                max_attempts=3,
                cooldown_minutes=0,
                questions_per_attempt=len(ids),
            )
            created.append(
                await _publish(
                    container,
                    author,
                    NewQuiz(
                        course_id=course.course_id,
                        kind=QuizKind.EXAM,
                        title=f"{course.title}: final exam",
                        question_ids=ids,
                        rules=exam_rules,
                    ),
                )
            )
    return created
