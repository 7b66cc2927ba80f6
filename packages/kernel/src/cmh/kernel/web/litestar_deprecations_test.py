"""pyproject's filterwarnings makes what Litestar 3 drops fail the test run: a route that
infers its parameters or leaves its body unmarked cannot come back unnoticed."""

from __future__ import annotations

import pytest
from litestar import Litestar, get, post
from litestar.exceptions import LitestarDeprecationWarning
from litestar.params import FromPath, JSONBody


def test_an_inferred_path_parameter_fails_the_run() -> None:
    @get("/courses/{course_id:str}")
    async def inferred(course_id: str) -> str:
        return course_id

    with pytest.raises(LitestarDeprecationWarning, match="course_id"):
        Litestar(route_handlers=[inferred], openapi_config=None)


def test_an_unmarked_body_fails_the_run() -> None:
    @post("/courses")
    async def unmarked(data: dict[str, str]) -> dict[str, str]:
        return data

    with pytest.raises(LitestarDeprecationWarning, match="body marker"):
        Litestar(route_handlers=[unmarked], openapi_config=None)


def test_explicit_markers_register_quietly() -> None:
    @post("/courses/{course_id:str}")
    async def explicit(course_id: FromPath[str], data: JSONBody[dict[str, str]]) -> str:
        return course_id

    Litestar(route_handlers=[explicit], openapi_config=None)
