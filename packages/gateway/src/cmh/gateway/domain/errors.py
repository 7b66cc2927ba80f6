"""Failures of an upstream, each with the HTTP status a proxy owes its caller."""

from __future__ import annotations

from cmh.kernel.errors import DependencyUnavailable


class UpstreamError(DependencyUnavailable):
    status: int = 503


class UpstreamUnavailable(UpstreamError):
    """Open circuit or no healthy instance: answered at once, the upstream is not called."""

    code = "upstream_unavailable"
    status = 503


class UpstreamUnreachable(UpstreamError):
    code = "upstream_unreachable"
    status = 502


class UpstreamTimeout(UpstreamError):
    code = "upstream_timeout"
    status = 504
