"""What the Assessments context listens to: hand ``subscriptions()`` to the bus adapter."""

from __future__ import annotations

from cmh.assessments.consumers.handlers import (
    COURSE_COMPLETIONS,
    COURSE_TITLES,
    LAB_TASKS,
    LEARNER_NAMES,
    USER_ERASURE,
    CourseCompletionHandler,
    CourseTitleHandler,
    LabTaskHandler,
    LearnerNameHandler,
    UserErasureHandler,
)
from cmh.contracts.events.courses import (
    COURSE_TOPIC,
    LEARNING_TOPIC,
    CourseCompletedV1,
    CoursePublishedV1,
)
from cmh.contracts.events.labs import SESSION_TOPIC, LabTaskValidatedV1
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1, UserRegisteredV1
from cmh.kernel.messaging.ports import Subscription


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="Anonymise an erased user's attempts and certificates.",
        ),
        Subscription(
            topic=USERS_TOPIC,
            consumer=LEARNER_NAMES,
            handler=LearnerNameHandler,
            event_types=frozenset({UserRegisteredV1.TYPE}),
            description="Keep learners' names for their certificates.",
        ),
        Subscription(
            topic=COURSE_TOPIC,
            consumer=COURSE_TITLES,
            handler=CourseTitleHandler,
            event_types=frozenset({CoursePublishedV1.TYPE}),
            description="Keep course titles for certificates.",
        ),
        Subscription(
            topic=LEARNING_TOPIC,
            consumer=COURSE_COMPLETIONS,
            handler=CourseCompletionHandler,
            event_types=frozenset({CourseCompletedV1.TYPE}),
            description="Issue the certificate of a completed course (its exam passed).",
        ),
        Subscription(
            topic=SESSION_TOPIC,
            consumer=LAB_TASKS,
            handler=LabTaskHandler,
            event_types=frozenset({LabTaskValidatedV1.TYPE}),
            description="Credit lab-task questions with the tasks labs validated.",
        ),
    ]


__all__ = ["subscriptions"]
