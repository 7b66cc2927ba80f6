"""Request bodies documented by msgspec itself: the schema says exactly what the decoder
rejects (unknown fields, empty strings, item constraints inside lists), which Litestar's
own schema generation loses for nested ``Annotated`` constraints."""

from __future__ import annotations

from typing import Any, get_args, get_origin

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import OpenAPI, Operation, Reference
from litestar.routes import HTTPRoute

REF_TEMPLATE = "#/components/schemas/{name}"


def request_struct(handler: HTTPRouteHandler) -> type[msgspec.Struct] | None:
    """The msgspec Struct a handler decodes its body into, if any."""
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None:
        return None
    annotation: Any = data.annotation
    while get_origin(annotation) is not None and get_args(annotation):
        annotation = get_args(annotation)[0]  # Annotated[T, ...] -> T
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation
    return None


def request_bodies(app: Litestar) -> dict[tuple[str, str], type[msgspec.Struct]]:
    """(OpenAPI path, method) -> the Struct its body decodes into, for documented routes."""
    bodies: dict[tuple[str, str], type[msgspec.Struct]] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            struct = request_struct(handler) if handler.include_in_schema else None
            if struct is None:
                continue
            for method in handler.http_methods:
                bodies[(route.path_format, method.lower())] = struct
    return bodies


def document_request_bodies(
    document: OpenAPI, bodies: dict[tuple[str, str], type[msgspec.Struct]]
) -> None:
    if not bodies or document.components is None:
        return
    structs = sorted(set(bodies.values()), key=lambda struct: struct.__qualname__)
    refs, components = msgspec.json.schema_components(structs, ref_template=REF_TEMPLATE)
    schemas = dict(document.components.schemas or {})
    schemas.update(components)
    document.components.schemas = schemas
    ref_of = dict(zip(structs, refs, strict=True))
    for (path, method), struct in bodies.items():
        item = (document.paths or {}).get(path)
        operation: Operation | None = getattr(item, method, None) if item else None
        body = operation.request_body if operation else None
        if body is None or isinstance(body, Reference):
            continue
        for media in body.content.values():
            media.schema = ref_of[struct]  # type: ignore[assignment]
