"""The Labs context's expected failures, each a kernel error kind with a stable code.

The web layer maps the kernel kinds (invalid input, not found, conflict, forbidden) to
problem details; the codes here are what clients switch on.
"""

from __future__ import annotations

from cmh.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound


class InvalidTemplate(InvalidInput):
    """A lab template breaks one of its rules; ``field`` names the part at fault."""

    code = "invalid_lab_template"


class TemplateNotFound(NotFound):
    code = "lab_template_not_found"


class SessionNotFound(NotFound):
    code = "lab_session_not_found"


class IllegalTransition(Conflict):
    """A session was asked to move along an edge its state machine does not have."""

    code = "illegal_lab_transition"


class ExtensionNotAllowed(Conflict):
    """An extension beyond the template's limit, or of a session that is not ready."""

    code = "lab_extension_not_allowed"


class AlreadyRunning(Conflict):
    """The learner already has a live session of this template."""

    code = "lab_already_running"


class NotEntitled(Forbidden):
    """The learner's tier or remaining lab hours do not allow this lab."""

    code = "not_entitled"


class InvalidLedgerEntry(InvalidInput):
    code = "invalid_lab_hours_entry"


class SessionOver(Conflict):
    """The session has ended or failed; nothing about it changes any more."""

    code = "lab_session_over"


class InvalidSession(InvalidInput):
    """A session request breaks its template's rules (a region it does not allow, ...)."""

    code = "invalid_lab_session"
