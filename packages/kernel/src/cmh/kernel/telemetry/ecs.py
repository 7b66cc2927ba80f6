"""Log lines in the Elastic Common Schema (ECS), the shape the log shipper writes into
Elasticsearch unchanged (infra/observability/log-shipper): one JSON object per line.

The three fields every ECS log line starts with (``@timestamp``, ``log.level``,
``message``) stay dotted at the top, as the ECS logging specification writes them; the
rest nest. The platform's own context keys land in their ECS fields: the request id in
``http.request.id`` (the id that correlates a request's lines across the services it
reaches), the trace and span ids in ``trace.id`` and ``span.id``, an exception in
``error.*``. Every other key a log call adds goes under ``cmh``, a namespace of our own
(mapped as one flattened field), so that a key named like an ECS object (``error``,
``user``, ``url``) can never clash with it."""

from __future__ import annotations

import os
import sys
import traceback
from types import TracebackType
from typing import Any

from structlog.typing import EventDict, WrappedLogger

ECS_VERSION = "8.11.0"
# Where the extra keys of a log call go (see the module docstring).
EXTRA_NAMESPACE = "cmh"

# Context keys the kernel binds or adds, and the ECS field each one is.
_ECS_FIELD_OF = {
    "request_id": "http.request.id",
    "correlation_id": "labels.correlation_id",
    "trace_id": "trace.id",
    "span_id": "span.id",
    "logger": "log.logger",
    "http_method": "http.request.method",
    "url_path": "url.path",
    "http_status": "http.response.status_code",
}
# Keys the renderers' own processors add, handled below.
_HANDLED = {"event", "level", "timestamp", "@timestamp", "exc_info", "exception", "duration_ms"}

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _put(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = document
    for name in parents:
        node = node.setdefault(name, {})
    node[leaf] = value


def _exc_info(value: Any) -> _ExcInfo | None:
    """structlog's ``exc_info`` forms: True (the exception being handled), an
    exception, or a ``sys.exc_info()`` tuple."""
    if isinstance(value, BaseException):
        return type(value), value, value.__traceback__
    if isinstance(value, tuple) and len(value) == 3 and value[0] is not None:
        return value
    if value is True:
        current = sys.exc_info()
        if current[0] is not None:
            return current
    return None


class EcsFields:
    """A structlog processor (the last before ``JSONRenderer``) turning an event dict into
    an ECS document for ``service`` (the process's name, as in its traces)."""

    def __init__(self, service: str) -> None:
        self._service = service
        self._pid = os.getpid()

    def __call__(self, _logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        document: dict[str, Any] = {
            "@timestamp": event_dict.get("@timestamp") or event_dict.get("timestamp"),
            "log.level": event_dict.get("level", _method),
            "message": str(event_dict.get("event", "")),
        }
        _put(document, "ecs.version", ECS_VERSION)
        _put(document, "service.name", self._service)
        _put(document, "event.dataset", f"{self._service}.log")
        _put(document, "process.pid", self._pid)
        if "duration_ms" in event_dict:  # ECS durations are in nanoseconds
            _put(document, "event.duration", int(float(event_dict["duration_ms"]) * 1_000_000))
        if exc_info := _exc_info(event_dict.get("exc_info")):
            kind, error, tb = exc_info
            _put(document, "error.type", kind.__qualname__)
            _put(document, "error.message", str(error))
            _put(
                document, "error.stack_trace", "".join(traceback.format_exception(kind, error, tb))
            )
        elif "exception" in event_dict:  # already rendered by format_exc_info
            _put(document, "error.stack_trace", str(event_dict["exception"]))
        for key, value in event_dict.items():
            if key in _HANDLED or value is None:
                continue
            field = _ECS_FIELD_OF.get(key)
            _put(document, field or f"{EXTRA_NAMESPACE}.{key}", value)
        return document
