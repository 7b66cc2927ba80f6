"""The Assessments context's expected failures, each a kernel error kind with a stable code."""

from __future__ import annotations

from cmh.kernel.errors import Conflict, InvalidInput, NotFound


class InvalidQuestion(InvalidInput):
    """A question breaks one of its rules; ``field`` names the part at fault."""

    code = "invalid_question"


class InvalidQuiz(InvalidInput):
    code = "invalid_quiz"


class InvalidAnswer(InvalidInput):
    """An answer of the wrong shape for its question (``field``: the question id)."""

    code = "invalid_answer"


class QuestionNotFound(NotFound):
    code = "question_not_found"


class QuizNotFound(NotFound):
    code = "quiz_not_found"


class AttemptNotFound(NotFound):
    code = "attempt_not_found"


class CertificateNotFound(NotFound):
    code = "certificate_not_found"


class QuizNotPublished(Conflict):
    code = "quiz_not_published"


class QuizAlreadyPublished(Conflict):
    code = "quiz_already_published"


class AttemptsUsedUp(Conflict):
    code = "attempts_used_up"


class CoolingDown(Conflict):
    """Another attempt may start only after the quiz's cool-down."""

    code = "attempt_cooling_down"


class AttemptInProgress(Conflict):
    code = "attempt_in_progress"


class AttemptClosed(Conflict):
    """The attempt was submitted, timed out or graded: nothing about it changes now."""

    code = "attempt_closed"


class TimeIsUp(Conflict):
    """An answer saved after the attempt's deadline (the server's clock)."""

    code = "attempt_time_is_up"


class NotHeld(Conflict):
    code = "attempt_not_held"


class AlreadyRevoked(Conflict):
    code = "certificate_already_revoked"
