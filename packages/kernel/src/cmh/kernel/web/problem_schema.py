"""The RFC 9457 problem details body, as a type: the one schema every error response
documents (``cmh.kernel.web.problems`` builds the bodies)."""

from __future__ import annotations

from typing import Any

import msgspec


class ProblemField(msgspec.Struct, frozen=True, kw_only=True):
    field: str | None
    message: str
    source: str | None = None


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    errors: list[ProblemField] | None = None
    request_id: str | None = None

    @staticmethod
    def openapi_schema() -> dict[str, Any]:
        schema: dict[str, Any] = _components()["Problem"]
        return schema

    @staticmethod
    def field_schema() -> dict[str, Any]:
        schema: dict[str, Any] = _components()["ProblemField"]
        return schema


def _components() -> dict[str, Any]:
    _, components = msgspec.json.schema_components(
        [Problem], ref_template="#/components/schemas/{name}"
    )
    return dict(components)
