"""The provider states the pacts name, and the fixed ids and credentials they promise:
the consumer tests put them in their requests, the provider verification makes them true
(``test_pact_providers.py``)."""

from __future__ import annotations

# users
LEARNER = "a learner account exists"
LEARNER_ID = "learner-1"
LEARNER_EMAIL = "ada@example.com"
NO_SUCH_USER = "no account has the id"
NO_SUCH_USER_ID = "nobody-1"
SERVICE_CLIENTS = "the platform's services are registered clients"


def client_secret(service: str) -> str:
    """The client secret a service presents at users in the pacts (users keeps its digest)."""
    return f"{service}-pact-client-secret"


# content
INSTRUCTOR_ID = "instructor-1"
VIDEO_ID = "demo-video-aws-intro"  # one of content's demo videos (fixed ids, ready to play)
COURSE_ID = "course-1"
INSTRUCTORS_VIDEO = "an instructor's video is ready"
VIDEO_IN_COURSE = "an instructor's video is ready and attached to a course"

# courses
COURSE_WITH_LEARNER = "a published course with an enrolled learner"
NO_SUCH_COURSE = "no course has the id"
NO_SUCH_COURSE_ID = "no-course-1"

# notifications
MAIL_ACCEPTED = "notifications sends account mail"

# labs
TEMPLATE_ID = "template-1"
LESSON_ID = "lesson-1"
SESSION_ID = "session-1"
SESSION_LEARNER_ID = "learner-2"  # another learner: one running lab per learner
OWNERS_TEMPLATE = "an instructor's lab template exists"
LEARNERS_SESSION = "a learner's lab session exists"
