"""structlog as JSON lines, carrying the request and correlation ids bound per request and
the trace and span ids of the current span."""

from __future__ import annotations

import logging
import sys

import structlog

from cmh.kernel.messaging.kafka_link import install as install_kafka_log_filter
from cmh.kernel.telemetry.logs import add_trace_ids


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping()[level.upper()]
        ),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    # Libraries log through the standard library: keep their chatter (alembic's per-step
    # INFO lines, httpx request lines) out of the operator's way.
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("alembic", "httpx", "aiokafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # aiokafka logs an ERROR per reconnect attempt: one line per outage instead.
    install_kafka_log_filter()
