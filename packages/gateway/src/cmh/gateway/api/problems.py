"""Upstream failures as problem details with the proxy's statuses (502, 503, 504)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from cmh.gateway.domain.errors import UpstreamError
from cmh.kernel.web.problems import exception_handlers, problem

_TITLES = {502: "Bad gateway", 503: "Service unavailable", 504: "Gateway timeout"}


def upstream_problem(request: Request[Any, Any, Any], exc: UpstreamError) -> Response[Any]:
    return problem(
        request,
        status=exc.status,
        title=_TITLES.get(exc.status, "Upstream failure"),
        detail=exc.detail,
        code=exc.code,
    )


GATEWAY_EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {
    **exception_handlers,
    UpstreamError: upstream_problem,
}
