"""What the Notifications context listens to: hand ``subscriptions()`` to the bus adapter.
One subscription per topic the translated events travel on (``TRANSLATIONS``), and
courses' learning events (each learner's last activity, for course reminders), and
``user.erasure_requested``."""

from __future__ import annotations

from collections import defaultdict

from cmh.contracts.events.courses import (
    LEARNING_TOPIC,
    CourseCompletedV1,
    EnrollmentCreatedV1,
    LessonCompletedV1,
)
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1
from cmh.kernel.messaging.ports import Subscription
from cmh.notifications.consumers.handlers import (
    LEARNING_ACTIVITY,
    NOTIFY,
    USER_ERASURE,
    LearningActivityHandler,
    NotifyHandler,
    UserErasureHandler,
)
from cmh.notifications.consumers.translations import TRANSLATIONS


def subscriptions() -> list[Subscription]:
    by_topic: dict[str, set[str]] = defaultdict(set)
    for event_type in TRANSLATIONS:
        by_topic[event_type.TOPIC].add(event_type.TYPE)
    return [
        *(
            Subscription(
                topic=topic,
                consumer=f"{NOTIFY}.{topic}",
                handler=NotifyHandler,
                event_types=frozenset(types),
                description=f"Notify learners of {', '.join(sorted(types))}.",
            )
            for topic, types in sorted(by_topic.items())
        ),
        Subscription(
            topic=LEARNING_TOPIC,
            consumer=LEARNING_ACTIVITY,
            handler=LearningActivityHandler,
            event_types=frozenset(
                {EnrollmentCreatedV1.TYPE, LessonCompletedV1.TYPE, CourseCompletedV1.TYPE}
            ),
            description="Keep each learner's last activity per course for course reminders.",
        ),
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="Delete an erased user's inbox, delivery log, preferences and address.",
        ),
    ]


__all__ = ["LEARNING_ACTIVITY", "NOTIFY", "USER_ERASURE", "subscriptions"]
