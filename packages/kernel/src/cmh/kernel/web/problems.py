"""RFC 9457 problem details for every error, with a stable ``code`` and the ``field`` at fault.

One mapping from the kernel's error kinds to HTTP statuses; controllers never build
error responses themselves. Unexpected exceptions become a 500 problem without internals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from cmh.kernel import context
from cmh.kernel.errors import (
    Conflict,
    DependencyUnavailable,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthenticated,
)
from cmh.kernel.outages import is_outage
from cmh.kernel.refused_values import is_refused_value
from cmh.kernel.web.serving import raw_path

log = structlog.get_logger("cmh.http")

PROBLEM_JSON = "application/problem+json"
# What a 503 for an outage asks the caller to wait: a restarted PostgreSQL takes about that.
OUTAGE_RETRY_AFTER_SECONDS = 2

_STATUS: list[tuple[type[DomainError], int, str]] = [
    (InvalidInput, 422, "Invalid input"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Conflict"),
    (Unauthenticated, 401, "Unauthenticated"),
    (Forbidden, 403, "Forbidden"),
    (TooManyRequests, 429, "Too many requests"),
    (DependencyUnavailable, 503, "Service unavailable"),
]

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "service_unavailable",
}


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    title: str,
    detail: str,
    code: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": f"https://docs.cloudmastershub.local/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        # A URI reference (RFC 9457): the path as sent, escapes kept, not decoded.
        "instance": raw_path(request.scope),
    }
    if errors:
        body["errors"] = errors
    if request_id := context.request_id.get():
        body["request_id"] = request_id
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    status, title = 400, "Bad request"
    for kind, kind_status, kind_title in _STATUS:
        if isinstance(exc, kind):
            status, title = kind_status, kind_title
            break
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    errors = [{"field": exc.field, "message": exc.detail}] if exc.field else None
    return problem(
        request,
        status=status,
        title=title,
        detail=exc.detail,
        code=exc.code,
        errors=errors,
        headers=headers,
    )


def _field_of(key: str | None, message: str) -> str | None:
    # msgspec: "Object missing required field `email`" / "... - at `$.profile.locale`"
    if "missing required field `" in message:
        return message.split("missing required field `", 1)[1].split("`", 1)[0]
    if "at `$." in message:
        return message.rsplit("at `$.", 1)[1].rstrip("`")
    return key


def _validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message", ""))
            errors.append(
                {
                    "field": _field_of(item.get("key"), message),
                    "message": message,
                    "source": item.get("source"),
                }
            )
    detail = exc.detail or "the request is not valid"
    if errors and errors[0]["field"]:
        detail = f"invalid `{errors[0]['field']}`: {errors[0]['message']}"
    malformed = "decode" in (exc.detail or "").lower() or "malformed" in (exc.detail or "").lower()
    status = 400 if malformed else 422
    return problem(
        request,
        status=status,
        title="Invalid request",
        detail=detail,
        code="malformed_body" if malformed else "validation_failed",
        errors=errors or None,
    )


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if isinstance(exc, ValidationException):
        return _validation_error(request, exc)
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException):
        status = 401
    code = _HTTP_CODES.get(status, "http_error")
    title = str(exc.detail)
    if status == 400 and ("JSON" in title or "truncated" in title):
        code, title = "malformed_body", "Malformed request body"
    return problem(
        request, status=status, title=title, detail=str(exc.detail), code=code, headers=exc.headers
    )


class _KnownFailure(NamedTuple):
    """A failure that is not a bug: how to recognise it, what to log, what to answer."""

    recognises: Callable[[BaseException], bool]
    event: str
    status: int
    title: str
    detail: str
    code: str
    headers: dict[str, str] | None = None


_KNOWN_FAILURES = (
    # The database or a cache out of reach (a failover, a restart): nothing the caller did;
    # the write was not made, and the same request is safe to send again.
    _KnownFailure(
        is_outage,
        "http.dependency_outage",
        503,
        "Service unavailable",
        "a store this service needs did not answer; retry in a moment",
        "store_unavailable",
        {"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
    ),
    # A value the database cannot hold (U+0000 in a path parameter, a number past its
    # column): the caller's input; the log names it, as a check the API should add.
    _KnownFailure(
        is_refused_value,
        "http.value_refused_by_store",
        422,
        "Invalid request",
        "a value in the request cannot be stored (text holding U+0000, a number or date out "
        "of range); correct it and send again",
        "validation_failed",
    ),
)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    for known in _KNOWN_FAILURES:
        if known.recognises(exc):
            log.warning(known.event, path=request.url.path, error=repr(exc))
            return problem(
                request,
                status=known.status,
                title=known.title,
                detail=known.detail,
                code=known.code,
                headers=known.headers,
            )
    log.exception("http.unhandled_error", path=request.url.path, error=repr(exc))
    return problem(
        request,
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        title="Internal error",
        detail="something went wrong on our side; the request id helps us find it",
        code="internal_error",
    )


exception_handlers: dict[int | type[Exception], Any] = {
    DomainError: _domain_error,
    HTTPException: _http_error,
    Exception: _unexpected,
}

__all__ = ["PROBLEM_JSON", "MediaType", "exception_handlers", "problem"]
