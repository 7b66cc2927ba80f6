"""What the Courses context listens to: hand ``subscriptions()`` to the bus adapter."""

from __future__ import annotations

from cmh.contracts.events.assessments import ATTEMPT_TOPIC, AttemptGradedV1
from cmh.contracts.events.courses import (
    COURSE_TOPIC,
    CourseArchivedV1,
    CoursePublishedV1,
    CourseUpdatedV1,
)
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1
from cmh.courses.consumers.handlers import (
    QUIZ_LESSONS,
    SEARCH_INDEXER,
    USER_ERASURE,
    QuizPassedHandler,
    SearchIndexBatchHandler,
    SearchIndexHandler,
    UserErasureHandler,
)
from cmh.kernel.messaging.ports import Subscription

# Course events per Kafka batch for the search index: one transaction, each course once.
INDEX_BATCH = 100


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="Forget an erased user's enrollments and progress.",
        ),
        Subscription(
            topic=COURSE_TOPIC,
            consumer=SEARCH_INDEXER,
            handler=SearchIndexHandler,
            batch_handler=SearchIndexBatchHandler,
            batch_size=INDEX_BATCH,
            event_types=frozenset(
                {CoursePublishedV1.TYPE, CourseArchivedV1.TYPE, CourseUpdatedV1.TYPE}
            ),
            description="Keep the course search index in step with published courses.",
        ),
        Subscription(
            topic=ATTEMPT_TOPIC,
            consumer=QUIZ_LESSONS,
            handler=QuizPassedHandler,
            event_types=frozenset({AttemptGradedV1.TYPE}),
            description="Complete a quiz lesson when its quiz is passed.",
        ),
    ]


__all__ = ["QUIZ_LESSONS", "SEARCH_INDEXER", "USER_ERASURE", "subscriptions"]
