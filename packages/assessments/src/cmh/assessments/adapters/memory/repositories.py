"""In-memory stores that keep state like a database would: they store copies (without the
events an aggregate recorded), check the version a copy was read at, and stage their
writes in the unit of work's transaction (``MemoryTable``)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from typing import Generic, TypeVar

from cmh.assessments.domain.attempt import Attempt
from cmh.assessments.domain.certificate import Certificate
from cmh.assessments.domain.grading import LabTask
from cmh.assessments.domain.questions import Question
from cmh.assessments.domain.quiz import PinnedQuestion, Quiz
from cmh.kernel.errors import Conflict
from cmh.kernel.memory_table import MemoryTable
from cmh.kernel.uow import InMemoryUnitOfWork

A = TypeVar("A", Quiz, Attempt, Certificate)


def _stored(aggregate: A) -> A:
    kept = copy.deepcopy(aggregate)
    kept.events.clear()
    return kept


def _fresh(found: A | None) -> A | None:
    return copy.deepcopy(found) if found is not None else None


class _Versioned(Generic[A]):
    """Rows of one aggregate kind keyed by id, saved only over the version they were read at."""

    kind = "aggregate"

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[str, A] = MemoryTable(uow)

    async def _add(self, aggregate: A) -> None:
        if aggregate.id in self._table:
            raise Conflict(f"{self.kind} {aggregate.id} exists", code=f"{self.kind}_exists")
        aggregate.version = 1
        self._table.put(aggregate.id, _stored(aggregate))

    async def _save(self, aggregate: A) -> None:
        stored = self._table.get(aggregate.id)
        if stored is None or stored.version != aggregate.version:
            raise Conflict(
                f"{self.kind} {aggregate.id} changed meanwhile; retry", code="concurrent_update"
            )
        aggregate.version += 1
        self._table.put(aggregate.id, _stored(aggregate))


class MemoryQuestionRepository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._table: MemoryTable[tuple[str, int], Question] = MemoryTable(uow)

    async def add(self, question: Question) -> None:
        if (question.id, question.version) in self._table:
            raise Conflict(f"question {question.id} changed meanwhile", code="concurrent_update")
        self._table.put((question.id, question.version), question)

    async def latest(self, question_id: str) -> Question | None:
        found = [q for (i, _), q in self._table.items() if i == question_id]
        return max(found, key=lambda q: q.version) if found else None

    async def versions(self, pinned: Sequence[PinnedQuestion]) -> list[Question]:
        found = (self._table.get((p.question_id, p.version)) for p in pinned)
        return [q for q in found if q is not None]

    async def latest_of_course(self, course_id: str) -> list[Question]:
        latest: dict[str, Question] = {}
        for question in self._table.values():
            if question.course_id != course_id:
                continue
            kept = latest.get(question.id)
            if kept is None or kept.version < question.version:
                latest[question.id] = question
        return sorted(latest.values(), key=lambda q: (q.created_at, q.id))


class MemoryQuizRepository(_Versioned[Quiz]):
    kind = "quiz"

    async def get(self, quiz_id: str) -> Quiz | None:
        return _fresh(self._table.get(quiz_id))

    async def add(self, quiz: Quiz) -> None:
        await self._add(quiz)

    async def save(self, quiz: Quiz) -> None:
        await self._save(quiz)

    async def of_course(self, course_id: str) -> list[Quiz]:
        found = [q for q in self._table.values() if q.course_id == course_id]
        return [copy.deepcopy(q) for q in sorted(found, key=lambda q: (q.created_at, q.id))]


class MemoryAttemptRepository(_Versioned[Attempt]):
    kind = "attempt"

    async def get(self, attempt_id: str) -> Attempt | None:
        return _fresh(self._table.get(attempt_id))

    async def add(self, attempt: Attempt) -> None:
        await self._add(attempt)

    async def save(self, attempt: Attempt) -> None:
        await self._save(attempt)

    def _where(self, **wanted: str) -> list[Attempt]:
        found = [
            a
            for a in self._table.values()
            if all(getattr(a, name) == value for name, value in wanted.items())
        ]
        return [copy.deepcopy(a) for a in sorted(found, key=lambda a: (a.started_at, a.number))]

    async def of_learner(self, quiz_id: str, user_id: str) -> list[Attempt]:
        return self._where(quiz_id=quiz_id, user_id=user_id)

    async def of_quiz(self, quiz_id: str) -> list[Attempt]:
        return self._where(quiz_id=quiz_id)

    async def of_user(self, user_id: str) -> list[Attempt]:
        return self._where(user_id=user_id)

    async def abandoned(self, now: datetime, limit: int) -> list[Attempt]:
        found = sorted(
            (a for a in self._table.values() if a.is_abandoned(now)),
            key=lambda a: (a.deadline, a.id),
        )
        return [copy.deepcopy(a) for a in found[:limit]]


class MemoryCertificateRepository(_Versioned[Certificate]):
    kind = "certificate"

    async def get(self, certificate_id: str) -> Certificate | None:
        return _fresh(self._table.get(certificate_id))

    async def by_code(self, code: str) -> Certificate | None:
        found = [c for c in self._table.values() if c.code == code]
        return copy.deepcopy(found[0]) if found else None

    async def add(self, certificate: Certificate) -> None:
        if await self.for_course(certificate.user_id, certificate.course_id) is not None:
            raise Conflict("the learner holds this course's certificate", code="certificate_exists")
        await self._add(certificate)

    async def save(self, certificate: Certificate) -> None:
        await self._save(certificate)

    async def of_learner(self, user_id: str) -> list[Certificate]:
        found = [c for c in self._table.values() if c.user_id == user_id]
        return [copy.deepcopy(c) for c in sorted(found, key=lambda c: (c.issued_at, c.id))]

    async def for_course(self, user_id: str, course_id: str) -> Certificate | None:
        found = [
            c for c in self._table.values() if c.user_id == user_id and c.course_id == course_id
        ]
        return copy.deepcopy(found[0]) if found else None


class MemoryLearnerRecords:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._completions: MemoryTable[tuple[str, str], datetime] = MemoryTable(uow)
        self._lab_tasks: MemoryTable[tuple[str, str, str], datetime] = MemoryTable(uow)
        self._names: MemoryTable[str, str] = MemoryTable(uow)
        self._courses: MemoryTable[str, str] = MemoryTable(uow)

    async def record_completion(self, user_id: str, course_id: str, at: datetime) -> None:
        if (user_id, course_id) not in self._completions:
            self._completions.put((user_id, course_id), at)

    async def completed(self, user_id: str, course_id: str) -> bool:
        return (user_id, course_id) in self._completions

    async def record_lab_tasks(
        self, user_id: str, template_id: str, task_ids: Sequence[str], at: datetime
    ) -> None:
        for task_id in task_ids:
            if (user_id, template_id, task_id) not in self._lab_tasks:
                self._lab_tasks.put((user_id, template_id, task_id), at)

    async def lab_tasks(self, user_id: str) -> set[LabTask]:
        return {(t, k) for (u, t, k) in self._lab_tasks if u == user_id}

    async def record_name(self, user_id: str, name: str) -> None:
        self._names.put(user_id, name)

    async def name_of(self, user_id: str) -> str | None:
        return self._names.get(user_id)

    async def record_course(self, course_id: str, title: str) -> None:
        self._courses.put(course_id, title)

    async def course_title(self, course_id: str) -> str | None:
        return self._courses.get(course_id)

    async def forget(self, user_id: str) -> None:
        for key in self._completions:
            if key[0] == user_id:
                self._completions.delete(key)
        for task in self._lab_tasks:
            if task[0] == user_id:
                self._lab_tasks.delete(task)
        if user_id in self._names:
            self._names.delete(user_id)
