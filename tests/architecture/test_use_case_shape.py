"""Every use case a context provides has the one shape (see ``use_case_shape``), and the
check catches each way of straying from it."""

from __future__ import annotations

import msgspec
import pytest
from dishka import Provider, Scope, provide, provide_all

from cmh.kernel.uow import UnitOfWork
from cmh.users.domain.user import User
from tests.architecture.use_case_shape import (
    classes_with_execute,
    provided_use_cases,
    providers_of,
    shape_problems,
)

CONTEXTS = (
    "users",
    "courses",
    "content",
    "gateway",
    "labs",
    "assessments",
    "payments",
    "forum",
    "notifications",
    "analytics",
)


@pytest.mark.parametrize("context", CONTEXTS)
def test_every_provided_use_case_has_the_shape(context: str) -> None:
    use_cases = provided_use_cases(providers_of(f"cmh.{context}.di"))
    kinds = {u.kind for u in use_cases}
    assert kinds == {"command", "query"}, f"{context} keeps commands and queries apart"
    problems = [p for u in use_cases for p in shape_problems(u.cls, u.kind)]
    assert problems == []


@pytest.mark.parametrize("context", CONTEXTS)
def test_no_use_case_is_provided_outside_the_groups(context: str) -> None:
    grouped = {u.cls for u in provided_use_cases(providers_of(f"cmh.{context}.di"))}
    written = set(classes_with_execute(f"cmh.{context}.application"))
    assert sorted(c.__qualname__ for c in written - grouped) == []


# Deliberately wrong use cases: the checker must name each fault.


class ReadModel(msgspec.Struct, frozen=True):
    name: str


class Shaped:
    def __init__(self, name: str) -> None:
        self._name = name

    async def execute(self, name: str) -> ReadModel:
        return ReadModel(name=self._name + name)


class CalledDirectly:
    async def __call__(self, name: str) -> None:
        self.last = name


class TwoDoors:
    async def execute(self, name: str) -> None:
        self.last = name

    async def also(self, name: str) -> None:
        self.last = name


class Blocking:
    def execute(self, name: str) -> None:
        self.last = name


class WritingQuery:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self) -> ReadModel:
        return ReadModel(name=type(self._uow).__name__)


class RawQuery:
    async def execute(self) -> dict[str, str]:
        return {"name": "raw"}


class EntityCommand:
    def __init__(self, user: User) -> None:
        self._user = user

    async def execute(self) -> User | None:
        return self._user


class StrayProvider(Provider):
    scope = Scope.REQUEST
    commands = provide_all(CalledDirectly, TwoDoors, Blocking, EntityCommand)
    queries = provide_all(Shaped, WritingQuery, RawQuery)


def test_the_checker_reports_each_stray_shape() -> None:
    use_cases = provided_use_cases([StrayProvider])
    assert {(u.cls, u.kind) for u in use_cases} == {
        (CalledDirectly, "command"),
        (TwoDoors, "command"),
        (Blocking, "command"),
        (EntityCommand, "command"),
        (Shaped, "query"),
        (WritingQuery, "query"),
        (RawQuery, "query"),
    }
    found = {u.cls.__name__: shape_problems(u.cls, u.kind) for u in use_cases}
    assert found == {
        "Shaped": [],
        "CalledDirectly": [
            "CalledDirectly defines __call__: use cases are called through execute()",
            "CalledDirectly has no execute()",
        ],
        "TwoDoors": ["TwoDoors has public members besides execute: also"],
        "Blocking": ["Blocking.execute is not a coroutine function (async def)"],
        "WritingQuery": ["query WritingQuery takes the UnitOfWork (uow)"],
        "RawQuery": ["query RawQuery answers dict[str, str], not a read model (a msgspec Struct)"],
        "EntityCommand": ["command EntityCommand answers a domain entity: User"],
    }


class UngroupedProvider(Provider):
    scope = Scope.REQUEST
    shaped = provide(Shaped)


def test_a_use_case_provided_outside_the_groups_is_not_counted_as_one() -> None:
    # So the walk over each context's application package reports it as ungrouped.
    assert provided_use_cases([UngroupedProvider]) == []
    assert provided_use_cases([StrayProvider, UngroupedProvider]) == provided_use_cases(
        [StrayProvider]
    )
