"""Which events become which notifications: one function per event type, listed in
``TRANSLATIONS`` (a new event from another context is one line there and one function
here). A function answers None for an event nobody needs to hear of."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cmh.contracts.events.base import IntegrationEvent
from cmh.contracts.events.courses import EnrollmentCreatedV1
from cmh.contracts.events.labs import LabSessionEndedV1, LabStatusChangedV1
from cmh.contracts.events.users import UserRegisteredV1
from cmh.notifications.application.ports import Recipient
from cmh.notifications.application.requests import NotifyRequest

Translation = Callable[[Any, str], NotifyRequest | None]

# Labs' reason for a ``ready -> ready`` change that warns of the expiry.
EXPIRY_WARNING = "expiry_warning"
# Outcomes a failure notification already told of.
FAILED_OUTCOMES = frozenset({"failed_platform", "failed_learner"})


def welcome(event: UserRegisteredV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="user.welcome",
        source_event_id=event_id,
        variables={"name": event.display_name},
        link="/courses",
        recipient=Recipient(
            user_id=event.user_id, email=event.email, display_name=event.display_name
        ),
    )


def enrolled(event: EnrollmentCreatedV1, event_id: str) -> NotifyRequest:
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="course.enrolled",
        source_event_id=event_id,
        variables={"course_id": event.course_id},
        link=f"/courses/{event.course_id}",
    )


def lab_status(event: LabStatusChangedV1, event_id: str) -> NotifyRequest | None:
    link = f"/labs/sessions/{event.session_id}"
    if event.to_status == "ready" and event.reason == EXPIRY_WARNING:
        expires = event.expires_at.strftime("%H:%M UTC") if event.expires_at else ""
        return NotifyRequest(
            recipient_id=event.user_id,
            kind="lab.expiring",
            source_event_id=event_id,
            variables={"expires_at": expires},
            link=link,
        )
    if event.to_status == "ready" and event.from_status != "ready":
        return NotifyRequest(
            recipient_id=event.user_id, kind="lab.ready", source_event_id=event_id, link=link
        )
    if event.to_status == "failed":
        return NotifyRequest(
            recipient_id=event.user_id,
            kind="lab.failed",
            source_event_id=event_id,
            variables={"reason": event.reason},
            link=link,
        )
    return None  # the teardown is told once, by lab.session_ended


def lab_ended(event: LabSessionEndedV1, event_id: str) -> NotifyRequest | None:
    if event.outcome in FAILED_OUTCOMES:
        return None
    return NotifyRequest(
        recipient_id=event.user_id,
        kind="lab.torn_down",
        source_event_id=event_id,
        variables={
            "outcome": event.outcome.replace("_", " "),
            "minutes": str(event.duration_seconds // 60),
            "tasks": str(len(event.tasks_passed)),
        },
        link=f"/labs/sessions/{event.session_id}",
    )


TRANSLATIONS: dict[type[IntegrationEvent], Translation] = {
    UserRegisteredV1: welcome,
    EnrollmentCreatedV1: enrolled,
    LabStatusChangedV1: lab_status,
    LabSessionEndedV1: lab_ended,
}
