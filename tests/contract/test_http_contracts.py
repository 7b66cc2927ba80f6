"""One definition per internal HTTP body: the serving side answers (and reads) the
``cmh.contracts.http`` Struct, and every HTTP client under ``adapters/http`` decodes that
same Struct rather than a shape of its own."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
from litestar import Litestar
from litestar.response import Response

from cmh.content.api import CONTENT_ROUTES
from cmh.courses.api import COURSES_ROUTES
from cmh.notifications.api import NOTIFICATIONS_ROUTES
from cmh.users.api import USERS_ROUTES

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = "cmh.contracts.http"

# Readers of public API bodies, which are not contracts yet (they are each service's own
# OpenAPI document): the gateway's dashboard reads users' /users/me and courses'
# /enrollments/me with the few fields it shows.
PUBLIC_API_READERS = {"packages/gateway/src/cmh/gateway/adapters/http/dashboard_sources.py"}


def _internal_handlers() -> Iterator[tuple[str, Any]]:
    app = Litestar(
        route_handlers=[*USERS_ROUTES, *COURSES_ROUTES, *CONTENT_ROUTES, *NOTIFICATIONS_ROUTES]
    )
    for route in app.routes:
        if not route.path.startswith("/internal/"):
            continue
        for handler in getattr(route, "route_handlers", ()):
            if "OPTIONS" not in handler.http_methods:
                yield f"{sorted(handler.http_methods)[0]} {route.path}", handler


def _body_type(annotation: Any) -> Any:
    if get_origin(annotation) is Response:
        (annotation,) = get_args(annotation)
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    return annotation


@pytest.mark.parametrize(("route", "handler"), list(_internal_handlers()))
def test_internal_routes_answer_and_read_contract_types(route: str, handler: Any) -> None:
    signature = handler.parsed_fn_signature
    bodies = [_body_type(signature.return_type.annotation)]
    if "data" in signature.parameters:
        bodies.append(_body_type(signature.parameters["data"].annotation))
    for body in bodies:
        if body is None or body is type(None):
            continue  # 204: no body
        assert body.__module__.startswith(CONTRACTS), (
            f"{route} uses {body.__module__}.{body.__qualname__}; "
            f"move that body into {CONTRACTS} so its clients decode the same Struct"
        )


def _http_clients() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("packages/*/src/cmh/*/adapters/http/*.py")
        if not path.name.endswith("_test.py")
    )


def _decoded_types(tree: ast.AST) -> Iterator[str]:
    """Names passed as the type to ``decode_json(response, Type, ...)`` and
    ``msgspec.json.decode(..., type=Type)``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name.endswith("decode_json") and len(node.args) >= 2:
            yield ast.unparse(node.args[1])
        elif name.endswith("json.decode"):
            yield from (ast.unparse(k.value) for k in node.keywords if k.arg == "type")


def _imported_from_contracts(tree: ast.AST) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(CONTRACTS)
        for alias in node.names
    }


def _params(tree: ast.AST) -> set[str]:
    """Argument names: a helper decoding the type its caller passes (``decode_json``)."""
    return {
        arg.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for arg in node.args.args + node.args.kwonlyargs
    }


@pytest.mark.parametrize("path", _http_clients(), ids=lambda p: str(p.relative_to(ROOT)))
def test_http_clients_decode_contract_types(path: Path) -> None:
    if str(path.relative_to(ROOT)) in PUBLIC_API_READERS:
        pytest.skip("reads public API bodies, which are not contracts")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign = sorted(set(_decoded_types(tree)) - _imported_from_contracts(tree) - _params(tree))
    assert not foreign, f"decodes {foreign}: decode the {CONTRACTS} Struct the service answers"


def test_the_guard_sees_a_private_body() -> None:
    # What courses' entitlements client used to do: a Struct of its own for users' answer.
    tree = ast.parse(
        "class _Body(msgspec.Struct):\n    tier: str\n"
        "async def of(r):\n    return decode_json(r, _Body, 'users')\n"
    )
    assert set(_decoded_types(tree)) - _imported_from_contracts(tree) == {"_Body"}
