"""structlog for every process, carrying the request and correlation ids bound per request
and the trace and span ids of the current span.

Two formats (``CMH_LOG_FORMAT``): ``ecs``, JSON lines in the Elastic Common Schema that the
log shipper sends to Elasticsearch (cmh.kernel.telemetry.ecs; the deployables' default),
and ``console``, lines for a person at a terminal (``make run``'s default). The standard
library's loggers (uvicorn's, the drivers') write through the same renderer, so an ECS
log file holds nothing but ECS lines."""

from __future__ import annotations

import logging
import os
import sys
from typing import Literal

import msgspec
import structlog

from cmh.kernel.messaging.kafka_link import install as install_kafka_log_filter
from cmh.kernel.settings import load_settings
from cmh.kernel.telemetry.ecs import EcsFields
from cmh.kernel.telemetry.logs import add_trace_ids

LogFormat = Literal["ecs", "console"]
_HANDLER_NAME = "cmh.kernel.logging"


class _LogEnvironment(msgspec.Struct, frozen=True):
    log_format: LogFormat | None = None


def log_format(default: LogFormat) -> LogFormat:
    """``CMH_LOG_FORMAT`` when set, else ``default``."""
    return load_settings(_LogEnvironment).log_format or default


def configure_logging(
    level: str = "INFO", *, service: str = "cmh", format: LogFormat | None = None
) -> None:
    """``service`` names the process in ECS lines (``OTEL_SERVICE_NAME`` overrides it, as
    for its traces); ``format`` defaults to ``CMH_LOG_FORMAT``, else ``ecs``."""
    chosen = format or log_format("ecs")
    service = os.environ.get("OTEL_SERVICE_NAME") or service  # as its traces name it
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        add_trace_ids,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: list[structlog.types.Processor] = (
        [EcsFields(service), structlog.processors.JSONRenderer()]
        if chosen == "ecs"
        else [structlog.dev.ConsoleRenderer()]
    )
    structlog.configure(
        processors=[*shared, structlog.processors.StackInfoRenderer(), *renderer],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    if chosen == "ecs":
        handler.setFormatter(
            structlog.stdlib.ProcessorFormatter(
                foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
                processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    # Ours replaces the one an earlier call installed, and nobody else's.
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != _HANDLER_NAME]
    handler.set_name(_HANDLER_NAME)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    # Libraries log through the standard library: keep their chatter (alembic's per-step
    # INFO lines, httpx request lines) out of the operator's way.
    for noisy in ("alembic", "httpx", "aiokafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # uvicorn's own logging configuration (applied by any uvicorn.Config made without
    # log_config=None) gives its loggers plain handlers that stop propagation: take them
    # back, so its lines are rendered like every other.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        server_logger = logging.getLogger(name)
        server_logger.handlers = []
        server_logger.propagate = True
    # aiokafka logs an ERROR per reconnect attempt: one line per outage instead.
    install_kafka_log_filter()
