"""A course report's section as a chart: SVG or PNG, or the Vega-Lite spec the frontend
draws itself."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from cmh.analytics.application.course_report import report_of
from cmh.analytics.application.ports import (
    ChartRenderer,
    ChartSeries,
    CourseDirectory,
    FactWarehouse,
)
from cmh.analytics.application.views import ChartView
from cmh.analytics.domain.errors import UnknownChart, UnknownFormat
from cmh.analytics.domain.report import CourseReport
from cmh.kernel.auth.principal import Principal

FORMATS = {"svg": "image/svg+xml", "png": "image/png", "vl.json": "application/json"}


def _enrollments(r: CourseReport) -> ChartSeries:
    return ChartSeries(
        name="enrollments",
        title=f"Enrollments per day: {r.title or r.course_id}",
        kind="line",
        x_label="day",
        y_label="enrollments",
        x=[d.day.isoformat() for d in r.enrollments],
        y=[float(d.count) for d in r.enrollments],
    )


def _funnel(r: CourseReport) -> ChartSeries:
    return ChartSeries(
        name="funnel",
        title=f"Completion funnel: {r.title or r.course_id}",
        kind="bar",
        x_label="step",
        y_label="learners",
        x=[s.step for s in r.funnel],
        y=[float(s.learners) for s in r.funnel],
    )


def _difficulty(r: CourseReport) -> ChartSeries:
    quizzes = [d for d in r.quiz_difficulty if d.kind == "quiz"]
    return ChartSeries(
        name="quiz-difficulty",
        title=f"Quiz difficulty: {r.title or r.course_id}",
        kind="bar",
        x_label="quiz",
        y_label="difficulty (1 - mean score)",
        x=[d.item for d in quizzes],
        y=[d.difficulty for d in quizzes],
    )


def _lab_cost(r: CourseReport) -> ChartSeries:
    return ChartSeries(
        name="lab-cost",
        title=f"Lab cost per template: {r.title or r.course_id}",
        kind="bar",
        x_label="template",
        y_label="USD",
        x=[c.template_id for c in r.lab_costs],
        y=[float(c.cost_usd) for c in r.lab_costs],
    )


CHARTS: dict[str, Callable[[CourseReport], ChartSeries]] = {
    "enrollments": _enrollments,
    "funnel": _funnel,
    "quiz-difficulty": _difficulty,
    "lab-cost": _lab_cost,
}


def parse_chart_file(file_name: str) -> tuple[str, str]:
    """``funnel.svg`` -> ("funnel", "svg")."""
    for suffix in FORMATS:
        if file_name.endswith("." + suffix):
            name = file_name.removesuffix("." + suffix)
            if name not in CHARTS:
                raise UnknownChart(
                    f"no chart {name!r}; charts: {', '.join(CHARTS)}", field="file_name"
                )
            return name, suffix
    raise UnknownFormat(f"{file_name!r}: a chart is .svg, .png or .vl.json", field="file_name")


class CourseChart:
    def __init__(
        self, directory: CourseDirectory, warehouse: FactWarehouse, renderer: ChartRenderer
    ) -> None:
        self._directory = directory
        self._warehouse = warehouse
        self._renderer = renderer

    async def execute(self, principal: Principal, course_id: str, file_name: str) -> ChartView:
        name, suffix = parse_chart_file(file_name)
        report = await report_of(self._directory, self._warehouse, principal, course_id)
        series = CHARTS[name](report)
        if suffix == "vl.json":
            content = msgspec.json.encode(self._renderer.vega_lite(series))
        else:
            content = self._renderer.render(series, suffix)
        return ChartView(media_type=FORMATS[suffix], content=content)
