"""The error model every context raises from its domain and application layers.

Errors carry a stable machine ``code`` and, for input problems, the ``field`` at fault.
They know nothing about HTTP: ``cmh.kernel.web.problems`` maps each kind to a status.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every expected failure. ``code`` is stable: clients switch on it."""

    code: str = "domain_error"

    def __init__(self, detail: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    code = "forbidden"


class TooManyRequests(DomainError):
    code = "rate_limited"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.retry_after = retry_after


class DependencyUnavailable(DomainError):
    """Another service or a vendor did not answer in time; safe to retry later."""

    code = "dependency_unavailable"
