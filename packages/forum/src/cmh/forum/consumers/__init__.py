"""What the Forum context listens to: hand ``subscriptions()`` to the bus adapter."""

from __future__ import annotations

from cmh.contracts.events.courses import (
    COURSE_TOPIC,
    LEARNING_TOPIC,
    CoursePublishedV1,
    EnrollmentCancelledV1,
)
from cmh.contracts.events.forum import (
    POST_TOPIC,
    PostCreatedV1,
    PostEditedV1,
    PostRemovedV1,
    ReplyCreatedV1,
)
from cmh.contracts.events.users import USERS_TOPIC, UserErasureRequestedV1
from cmh.forum.consumers.handlers import (
    COURSE_BOARDS,
    COURSE_LEAVERS,
    SEARCH_INDEX,
    USER_ERASURE,
    CourseBoardHandler,
    CourseLeaverHandler,
    SearchIndexHandler,
    UserErasureHandler,
)
from cmh.kernel.messaging.ports import Subscription


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            topic=COURSE_TOPIC,
            consumer=COURSE_BOARDS,
            handler=CourseBoardHandler,
            event_types=frozenset({CoursePublishedV1.TYPE}),
            description="Open a board for each published course.",
        ),
        Subscription(
            topic=LEARNING_TOPIC,
            consumer=COURSE_LEAVERS,
            handler=CourseLeaverHandler,
            event_types=frozenset({EnrollmentCancelledV1.TYPE}),
            description="A learner who left a course stops following its board's threads.",
        ),
        Subscription(
            topic=USERS_TOPIC,
            consumer=USER_ERASURE,
            handler=UserErasureHandler,
            event_types=frozenset({UserErasureRequestedV1.TYPE}),
            description="Anonymise an erased user's posts (the posts stay).",
        ),
        Subscription(
            topic=POST_TOPIC,
            consumer=SEARCH_INDEX,
            handler=SearchIndexHandler,
            event_types=frozenset(
                {PostCreatedV1.TYPE, ReplyCreatedV1.TYPE, PostEditedV1.TYPE, PostRemovedV1.TYPE}
            ),
            description="Keep the post search index in step with the posts.",
        ),
    ]
