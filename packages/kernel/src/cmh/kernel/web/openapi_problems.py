"""Every operation's OpenAPI entry lists the problem statuses it answers.

The statuses that follow from an operation's shape are added in one place, by the same
rules the kernel and the gateway policies enforce: a body can be malformed (400), too large
(413) or invalid (422); parameters can be invalid (422); a bearer-token operation answers
401; an id in the path can be unknown (404); everything under the API can be rate limited
(429). What only a use case knows (403, 409, a 404 without an id in the path) the handler
declares with ``problem_responses(...)``. Every error is ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Reference,
)

from cmh.kernel.web.openapi_request_bodies import document_request_bodies, request_bodies
from cmh.kernel.web.openapi_text import document_nul_free_text
from cmh.kernel.web.problem_schema import Problem

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = Reference(ref="#/components/schemas/Problem")

DESCRIPTIONS = {
    400: "Malformed request (not JSON, or nested too deep): code `malformed_body`",
    401: "Missing, invalid or expired access token",
    403: "Authenticated, but not allowed to do this",
    404: "No such resource, or not one the caller may see",
    409: "Conflicts with the resource's current state",
    413: "Request body too large",
    422: "Invalid input: `errors[].field` names each field at fault",
    429: "Rate limited: retry after `Retry-After` seconds",
    503: "A dependency did not answer; safe to retry later",
}

_WITH_BODY = (400, 413, 422)
_RATE_LIMITED_PREFIXES = ("/api/", "/.well-known/", "/graphql")


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem statuses only a use case knows, for a handler's ``responses=``."""
    return {
        status: ResponseSpec(
            data_container=Problem, media_type=PROBLEM_JSON, description=DESCRIPTIONS[status]
        )
        for status in statuses
    }


def _problem_response(status: int) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=DESCRIPTIONS.get(status, "Problem details"),
        content={PROBLEM_JSON: OpenAPIMediaType(schema=PROBLEM_REF)},
    )


def _declared(response: object) -> bool:
    return isinstance(response, OpenAPIResponse) and response.description == DESCRIPTIONS[400]


def _statuses_from_shape(path: str, operation: Operation) -> set[int]:
    statuses: set[int] = set()
    parameters = [p for p in operation.parameters or [] if not isinstance(p, Reference)]
    if operation.request_body is not None:
        statuses.update(_WITH_BODY)
    if any(p.param_in in ("query", "header") for p in parameters):
        statuses.add(422)
    if any(p.param_in == "path" for p in parameters):
        # Unknown id; or a value no store can hold (U+0000), ``cmh.kernel.refused_values``.
        statuses.update((404, 422))
    if any("BearerToken" in requirement for requirement in operation.security or []):
        statuses.add(401)
    if path.startswith(_RATE_LIMITED_PREFIXES):
        statuses.add(429)
    if path.startswith("/api/"):
        # Every operation reads or writes a store (and the rate limit's): one out of
        # reach is a 503 ``store_unavailable`` to retry (``cmh.kernel.outages``).
        statuses.add(503)
    return statuses


def document_problems(document: OpenAPI) -> OpenAPI:
    """Complete ``document`` in place: shape-derived problem statuses, problem+json for
    every error response, no content for bodiless answers."""
    components = document.components or Components()
    document.components = components
    # msgspec's JSON Schema dicts serialise as they are beside Litestar's Schema objects.
    schemas: dict[str, Any] = dict(components.schemas or {})
    schemas.setdefault("Problem", Problem.openapi_schema())
    schemas.setdefault("ProblemField", Problem.field_schema())
    components.schemas = schemas
    for path, item in (document.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch", "options", "head"):
            operation: Operation | None = getattr(item, method, None)
            if operation is None:
                continue
            responses = operation.responses = dict(operation.responses or {})
            if operation.request_body is None and not _declared(responses.get("400")):
                # Litestar documents a 400 for any parameter; ours answer 422 (no body: no 400).
                responses.pop("400", None)
            for implied in _statuses_from_shape(path, operation):
                responses.setdefault(str(implied), _problem_response(implied))
            for status, response in list(responses.items()):
                if status.isdigit() and int(status) >= 400:
                    responses[status] = _problem_response(int(status))
                elif status in ("202", "204") and isinstance(response, OpenAPIResponse):
                    # Litestar describes a bodiless answer as a JSON string; it has no content.
                    response.content = None
    return document


def complete_openapi_on_startup(app: Litestar) -> None:
    """Run once every route is registered (Litestar rebuilds the document when one is
    added, so this cannot happen at construction)."""
    document = app.plugins.get(OpenAPIPlugin).provide_openapi()
    document_request_bodies(document, request_bodies(app))
    document_problems(document)
    document_nul_free_text(document)
