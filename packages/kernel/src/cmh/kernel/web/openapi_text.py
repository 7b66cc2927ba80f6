"""The OpenAPI document says what text the API takes: no U+0000 anywhere.

Every request body refuses a NUL (``cmh.kernel.web.storable_text``) and a store refuses one
in a parameter (``cmh.kernel.refused_values``), both 422. So every plain string a request
carries (a body field, a dict key, a path or query parameter) is documented with
``NUL_FREE_PATTERN``: clients and generated tests see the rule instead of meeting it. A
string with a pattern, a format or a fixed set of values of its own already excludes it.
"""

from __future__ import annotations

from typing import Any

from litestar.openapi.spec import OpenAPI, Operation, Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIType

from cmh.kernel.web.storable_text import NUL_FREE_PATTERN

_METHODS = ("get", "put", "post", "delete", "patch")
_OWN_RULES = ("pattern", "format", "enum", "const")
_NESTED = ("properties", "items", "prefix_items", "any_of", "one_of", "all_of")


def document_nul_free_text(document: OpenAPI) -> OpenAPI:
    """Complete ``document`` in place: every component and parameter string says no NUL."""
    if document.components is not None:
        for schema in (document.components.schemas or {}).values():
            _nul_free(schema)
    for item in (document.paths or {}).values():
        for method in _METHODS:
            operation: Operation | None = getattr(item, method, None)
            for parameter in (operation.parameters or []) if operation else []:
                if isinstance(parameter, Parameter):
                    _nul_free(parameter.schema)
    return document


def _nul_free(schema: Any) -> None:
    if isinstance(schema, list):
        for item in schema:
            _nul_free(item)
    elif isinstance(schema, dict):  # msgspec's JSON Schema (request bodies)
        _nul_free_json(schema)
    elif isinstance(schema, Schema):  # Litestar's (parameters, other components)
        _nul_free_litestar(schema)


def _nul_free_json(schema: dict[str, Any]) -> None:
    kinds = schema.get("type")
    if (kinds == "string" or (isinstance(kinds, list) and "string" in kinds)) and not any(
        rule in schema for rule in _OWN_RULES
    ):
        schema["pattern"] = NUL_FREE_PATTERN
    if isinstance(schema.get("additionalProperties"), dict):
        schema.setdefault("propertyNames", {"pattern": NUL_FREE_PATTERN})
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            for field in value.values():
                _nul_free(field)
        elif key in ("items", "prefixItems", "anyOf", "oneOf", "allOf", "additionalProperties"):
            _nul_free(value)


def _nul_free_litestar(schema: Schema) -> None:
    kinds = schema.type if isinstance(schema.type, list | tuple) else [schema.type]
    if OpenAPIType.STRING in kinds and not any(getattr(schema, r, None) for r in _OWN_RULES):
        schema.pattern = NUL_FREE_PATTERN
    for name in _NESTED:
        value = getattr(schema, name, None)
        _nul_free(list(value.values()) if isinstance(value, dict) else value)
    _nul_free(schema.additional_properties)
