"""An event's source is its producing context, named as that context's service does."""

from __future__ import annotations

from typing import ClassVar

from cmh.contracts.events.base import IntegrationEvent
from cmh.kernel.messaging.sources import per_context, single_context


class SessionStarted(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "lab.session_started"
    TOPIC: ClassVar[str] = "labs.session"


class LessonDone(IntegrationEvent, frozen=True, kw_only=True):
    TYPE: ClassVar[str] = "lesson.completed"
    TOPIC: ClassVar[str] = "courses.learning"


def test_one_context_per_process_stamps_its_service_name() -> None:
    source = single_context("cloudmastershub/users")
    assert source(SessionStarted()) == source(LessonDone()) == "cloudmastershub/users"


def test_several_contexts_in_one_process_stamp_each_producer() -> None:
    source = per_context()
    assert source(SessionStarted()) == "cloudmastershub/labs"
    assert source(LessonDone()) == "cloudmastershub/courses"
    assert per_context("acme")(LessonDone()) == "acme/courses"
