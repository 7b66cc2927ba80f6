"""Each event of a consumed batch goes on in its own trace, in a span linked to the batch's;
when they all continue one trace, the handler runs inside the newest one's span."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from opentelemetry import propagate
from opentelemetry.sdk.trace import ReadableSpan

from cmh.kernel.telemetry.messaging import processing_batch
from cmh.kernel.telemetry.setup import tracer
from cmh_testing.kernel.tracing import recording_spans


def published(name: str) -> tuple[int, int, dict[str, str]]:
    """A publish span's trace and span ids, and the headers a message carries from it."""
    with tracer().start_as_current_span(name) as span:
        headers: dict[str, str] = {}
        propagate.inject(headers)
    context = span.get_span_context()
    return context.trace_id, context.span_id, headers


def handle_batch(headers: Sequence[Mapping[str, str]]) -> None:
    """What a batch consumer does: FastStream's batch span, ours, one statement inside."""
    with (
        tracer().start_as_current_span("batch"),
        processing_batch("courses.course", headers),
        tracer().start_as_current_span("UPDATE courses_search"),
    ):
        pass


def ids(span: ReadableSpan) -> tuple[int, int]:
    assert span.context is not None
    return span.context.trace_id, span.context.span_id


def parent_id(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


def linked_ids(span: ReadableSpan) -> list[int]:
    return [link.context.span_id for link in span.links]


def test_a_batch_of_one_runs_the_handler_inside_the_event_s_trace() -> None:
    with recording_spans() as spans:
        trace_id, publish_id, headers = published("publish")
        handle_batch([headers])
        process = spans.named("courses.course process")
        assert ids(process)[0] == trace_id
        assert parent_id(process) == publish_id
        assert parent_id(spans.named("UPDATE courses_search")) == ids(process)[1]
        assert linked_ids(process) == [ids(spans.named("batch"))[1]]


def test_each_event_of_a_larger_batch_gets_a_span_in_its_own_trace() -> None:
    with recording_spans() as spans:
        first_trace, first_publish, first = published("first publish")
        second_trace, second_publish, second = published("second publish")
        handle_batch([first, second, {}])
        batch_id = ids(spans.named("batch"))[1]
        processes = [s for s in spans.all() if s.name == "courses.course process"]
        assert sorted((ids(s)[0], parent_id(s)) for s in processes) == sorted(
            [(first_trace, first_publish), (second_trace, second_publish)]
        )
        assert all(linked_ids(s) == [batch_id] for s in processes)
        # The one handler call's statements belong to the batch.
        assert parent_id(spans.named("UPDATE courses_search")) == batch_id


def test_nothing_is_recorded_when_tracing_is_off() -> None:
    handle_batch([{"traceparent": "00-" + "1" * 32 + "-" + "2" * 16 + "-01"}])


def test_a_batch_within_one_trace_runs_the_handler_inside_its_newest_event() -> None:
    with recording_spans() as spans, tracer().start_as_current_span("the author's session"):
        edited_trace, _, edited = published("course.updated publish")
        published_trace, publish_id, publish = published("course.published publish")
        assert edited_trace == published_trace
        handle_batch([edited, publish])
        processes = [s for s in spans.all() if s.name == "courses.course process"]
        assert len(processes) == 2
        statement = spans.named("UPDATE courses_search")
        newest = next(s for s in processes if parent_id(s) == publish_id)
        assert parent_id(statement) == ids(newest)[1]
