"""The forum's expected failures, each a kernel error kind with a stable code."""

from __future__ import annotations

from cmh.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests


class InvalidPost(InvalidInput):
    """A title or body breaks a rule; ``field`` names it."""

    code = "invalid_forum_post"


class BoardNotFound(NotFound):
    code = "forum_board_not_found"


class ThreadNotFound(NotFound):
    code = "forum_thread_not_found"


class PostNotFound(NotFound):
    code = "forum_post_not_found"


class NotAllowed(Forbidden):
    """The actor may see the object but not do this to it."""

    code = "forum_not_allowed"


class BannedFromBoard(Forbidden):
    code = "forum_banned"


class ThreadLocked(Conflict):
    code = "forum_thread_locked"


class SpamSuspected(TooManyRequests):
    """Posting too fast, or the same text again: try later, or write something new."""

    code = "forum_spam_suspected"
