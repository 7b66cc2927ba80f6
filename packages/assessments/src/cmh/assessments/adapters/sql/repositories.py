"""Assessments' stores on the request's ``AsyncSession`` (they share the unit of work's
transaction). Quizzes, attempts and certificates carry a version: a save of a copy read
before another save is a kernel ``Conflict``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cmh.assessments.adapters.sql.documents import document, from_document
from cmh.assessments.adapters.sql.tables import (
    attempts,
    certificates,
    completions,
    courses,
    lab_tasks,
    learners,
    questions,
    quizzes,
)
from cmh.assessments.domain.attempt import Attempt
from cmh.assessments.domain.certificate import Certificate
from cmh.assessments.domain.grading import LabTask
from cmh.assessments.domain.questions import Question
from cmh.assessments.domain.quiz import PinnedQuestion, Quiz
from cmh.kernel.errors import Conflict


async def _insert(session: AsyncSession, table: Table, kind: str, **values: Any) -> None:
    try:
        await session.execute(insert(table).values(**values))
    except IntegrityError as exc:
        raise Conflict(f"{kind} exists", code=f"{kind}_exists") from exc


async def _update(session: AsyncSession, table: Table, aggregate: Any, **values: Any) -> None:
    result = await session.execute(
        update(table)
        .where(table.c.id == aggregate.id, table.c.version == aggregate.version)
        .values(version=aggregate.version + 1, document=document(aggregate), **values)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"{aggregate.id} changed meanwhile; retry", code="concurrent_update")
    aggregate.version += 1


class SqlQuestionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, question: Question) -> None:
        await _insert(
            self._session,
            questions,
            "question_version",
            id=question.id,
            version=question.version,
            course_id=question.course_id,
            document=document(question, row_version=False),
            created_at=question.created_at,
        )

    async def latest(self, question_id: str) -> Question | None:
        row = (
            await self._session.execute(
                select(questions.c.document)
                .where(questions.c.id == question_id)
                .order_by(questions.c.version.desc())
                .limit(1)
            )
        ).first()
        return from_document(Question, row.document) if row else None

    async def versions(self, pinned: Sequence[PinnedQuestion]) -> list[Question]:
        if not pinned:
            return []
        wanted = [(p.question_id, p.version) for p in pinned]
        rows = await self._session.execute(
            select(questions.c.id, questions.c.version, questions.c.document).where(
                tuple_(questions.c.id, questions.c.version).in_(wanted)
            )
        )
        found = {(r.id, r.version): from_document(Question, r.document) for r in rows}
        return [found[key] for key in wanted if key in found]

    async def latest_of_course(self, course_id: str) -> list[Question]:
        rows = await self._session.execute(
            select(questions.c.id, questions.c.version, questions.c.document)
            .where(questions.c.course_id == course_id)
            .order_by(questions.c.created_at, questions.c.id, questions.c.version)
        )
        latest: dict[str, Question] = {}
        first_seen: dict[str, int] = {}
        for row in rows:
            first_seen.setdefault(row.id, len(first_seen))
            latest[row.id] = from_document(Question, row.document)
        return sorted(latest.values(), key=lambda q: first_seen[q.id])


class SqlQuizRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, quiz_id: str) -> Quiz | None:
        row = (await self._session.execute(select(quizzes).where(quizzes.c.id == quiz_id))).first()
        return from_document(Quiz, row.document, row.version) if row else None

    async def add(self, quiz: Quiz) -> None:
        await _insert(
            self._session,
            quizzes,
            "quiz",
            id=quiz.id,
            course_id=quiz.course_id,
            created_at=quiz.created_at,
            document=document(quiz),
            version=1,
        )
        quiz.version = 1

    async def save(self, quiz: Quiz) -> None:
        await _update(self._session, quizzes, quiz)

    async def of_course(self, course_id: str) -> list[Quiz]:
        rows = await self._session.execute(
            select(quizzes)
            .where(quizzes.c.course_id == course_id)
            .order_by(quizzes.c.created_at, quizzes.c.id)
        )
        return [from_document(Quiz, r.document, r.version) for r in rows]


class SqlAttemptRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, attempt_id: str) -> Attempt | None:
        row = (
            await self._session.execute(select(attempts).where(attempts.c.id == attempt_id))
        ).first()
        return from_document(Attempt, row.document, row.version) if row else None

    async def add(self, attempt: Attempt) -> None:
        await _insert(
            self._session,
            attempts,
            "attempt",
            id=attempt.id,
            quiz_id=attempt.quiz_id,
            user_id=attempt.user_id,
            started_at=attempt.started_at,
            number=attempt.number,
            document=document(attempt),
            version=1,
            open_until=attempt.open_until,
        )
        attempt.version = 1

    async def save(self, attempt: Attempt) -> None:
        await _update(
            self._session,
            attempts,
            attempt,
            user_id=attempt.user_id,
            open_until=attempt.open_until,
        )

    async def _where(self, *conditions: Any) -> list[Attempt]:
        rows = await self._session.execute(
            select(attempts).where(*conditions).order_by(attempts.c.started_at, attempts.c.number)
        )
        return [from_document(Attempt, r.document, r.version) for r in rows]

    async def of_learner(self, quiz_id: str, user_id: str) -> list[Attempt]:
        return await self._where(attempts.c.quiz_id == quiz_id, attempts.c.user_id == user_id)

    async def of_quiz(self, quiz_id: str) -> list[Attempt]:
        return await self._where(attempts.c.quiz_id == quiz_id)

    async def of_user(self, user_id: str) -> list[Attempt]:
        return await self._where(attempts.c.user_id == user_id)

    async def abandoned(self, now: datetime, limit: int) -> list[Attempt]:
        rows = await self._session.execute(
            select(attempts)
            .where(attempts.c.open_until < now)
            .order_by(attempts.c.open_until, attempts.c.id)
            .limit(limit)
        )
        return [from_document(Attempt, r.document, r.version) for r in rows]


class SqlCertificateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _one(self, *conditions: Any) -> Certificate | None:
        row = (await self._session.execute(select(certificates).where(*conditions))).first()
        return from_document(Certificate, row.document, row.version) if row else None

    async def get(self, certificate_id: str) -> Certificate | None:
        return await self._one(certificates.c.id == certificate_id)

    async def by_code(self, code: str) -> Certificate | None:
        return await self._one(certificates.c.code == code)

    async def add(self, certificate: Certificate) -> None:
        await _insert(
            self._session,
            certificates,
            "certificate",
            id=certificate.id,
            code=certificate.code,
            user_id=certificate.user_id,
            course_id=certificate.course_id,
            issued_at=certificate.issued_at,
            document=document(certificate),
            version=1,
        )
        certificate.version = 1

    async def save(self, certificate: Certificate) -> None:
        await _update(self._session, certificates, certificate, user_id=certificate.user_id)

    async def of_learner(self, user_id: str) -> list[Certificate]:
        rows = await self._session.execute(
            select(certificates)
            .where(certificates.c.user_id == user_id)
            .order_by(certificates.c.issued_at, certificates.c.id)
        )
        return [from_document(Certificate, r.document, r.version) for r in rows]

    async def for_course(self, user_id: str, course_id: str) -> Certificate | None:
        return await self._one(
            certificates.c.user_id == user_id, certificates.c.course_id == course_id
        )


class SqlLearnerRecords:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _exists(self, table: Table, *conditions: Any) -> bool:
        found = await self._session.execute(select(table).where(*conditions).limit(1))
        return found.first() is not None

    async def record_completion(self, user_id: str, course_id: str, at: datetime) -> None:
        if not await self.completed(user_id, course_id):
            await self._session.execute(
                insert(completions).values(user_id=user_id, course_id=course_id, completed_at=at)
            )

    async def completed(self, user_id: str, course_id: str) -> bool:
        return await self._exists(
            completions, completions.c.user_id == user_id, completions.c.course_id == course_id
        )

    async def record_lab_tasks(
        self, user_id: str, template_id: str, task_ids: Sequence[str], at: datetime
    ) -> None:
        known = await self.lab_tasks(user_id)
        for task_id in dict.fromkeys(task_ids):
            if (template_id, task_id) not in known:
                await self._session.execute(
                    insert(lab_tasks).values(
                        user_id=user_id, template_id=template_id, task_id=task_id, validated_at=at
                    )
                )

    async def lab_tasks(self, user_id: str) -> set[LabTask]:
        rows = await self._session.execute(
            select(lab_tasks.c.template_id, lab_tasks.c.task_id).where(
                lab_tasks.c.user_id == user_id
            )
        )
        return {(r.template_id, r.task_id) for r in rows}

    async def record_name(self, user_id: str, name: str) -> None:
        if await self._exists(learners, learners.c.user_id == user_id):
            await self._session.execute(
                update(learners).where(learners.c.user_id == user_id).values(name=name)
            )
        else:
            await self._session.execute(insert(learners).values(user_id=user_id, name=name))

    async def name_of(self, user_id: str) -> str | None:
        row = (
            await self._session.execute(
                select(learners.c.name).where(learners.c.user_id == user_id)
            )
        ).first()
        return row.name if row else None

    async def record_course(self, course_id: str, title: str) -> None:
        if await self._exists(courses, courses.c.course_id == course_id):
            await self._session.execute(
                update(courses).where(courses.c.course_id == course_id).values(title=title)
            )
        else:
            await self._session.execute(insert(courses).values(course_id=course_id, title=title))

    async def course_title(self, course_id: str) -> str | None:
        row = (
            await self._session.execute(
                select(courses.c.title).where(courses.c.course_id == course_id)
            )
        ).first()
        return row.title if row else None

    async def forget(self, user_id: str) -> None:
        for table in (completions, lab_tasks, learners):
            await self._session.execute(delete(table).where(table.c.user_id == user_id))
