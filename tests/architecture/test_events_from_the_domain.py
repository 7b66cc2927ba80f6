"""Events come from the domain: in every context only ``application/integration_events.py``
knows the ``contracts`` events, no use case publishes by hand, and every domain event a
context's aggregates can record is mapped (to contracts events or, on purpose, to none)."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
from pathlib import Path

import pytest

from cmh.analytics.module import AnalyticsModule
from cmh.assessments.module import AssessmentsModule
from cmh.content.module import ContentModule
from cmh.courses.module import CoursesModule
from cmh.kernel.module import ContextModule
from cmh.labs.module import LabsModule
from cmh.notifications.module import NotificationsModule
from cmh.payments.module import PaymentsModule
from cmh.users.module import UsersModule

ROOT = Path(__file__).resolve().parents[2]
MODULES: list[ContextModule] = [
    UsersModule(),
    CoursesModule(),
    ContentModule(),
    LabsModule(),
    AssessmentsModule(),
    PaymentsModule(),
    NotificationsModule(),
    AnalyticsModule(),
]
MAPPER = "integration_events.py"


def strays(source: str, filename: str) -> list[str]:
    """What a use case module must not do: import contracts events or publish by hand."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "cmh.contracts.events"
        ):
            found.append(f"{filename}:{node.lineno} imports {node.module}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "publish"
            and "uow" in ast.unparse(node.func.value)
        ):
            found.append(f"{filename}:{node.lineno} publishes by hand")
    return found


def application_sources() -> list[Path]:
    return [
        path
        for module in MODULES
        for path in (
            ROOT / "packages" / module.name / "src/cmh" / module.name / "application"
        ).glob("*.py")
        if path.name != MAPPER and not path.name.endswith("_test.py") and path.name != "conftest.py"
    ]


def test_use_cases_leave_events_to_the_domain_and_the_map() -> None:
    problems = [p for path in application_sources() for p in strays(path.read_text(), path.name)]
    assert problems == []


def test_the_check_fails_on_purpose_on_a_hand_built_event() -> None:
    sample = (
        "from cmh.contracts.events.users import UserRegisteredV1\n"
        "async def execute(self):\n"
        "    self._uow.publish(UserRegisteredV1(user_id='u'), subject='u')\n"
    )
    assert strays(sample, "sample.py") == [
        "sample.py:1 imports cmh.contracts.events.users",
        "sample.py:3 publishes by hand",
    ]


def domain_events(module: ContextModule) -> set[type]:
    """Every dataclass in the context's ``domain/events.py``."""
    events = importlib.import_module(f"cmh.{module.name}.domain.events")
    return {
        kind
        for _, kind in inspect.getmembers(events, inspect.isclass)
        if dataclasses.is_dataclass(kind) and kind.__module__ == events.__name__
    }


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_every_domain_event_is_mapped(module: ContextModule) -> None:
    assert domain_events(module) <= module.events.domain_events
