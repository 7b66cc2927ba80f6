"""A course's report (JSON and CSV) for its instructor and admins."""

from __future__ import annotations

import csv
import io

import msgspec

from cmh.analytics.application.access import reported_course
from cmh.analytics.application.ports import CourseDirectory, FactWarehouse
from cmh.analytics.application.views import CourseReportView, CsvDocumentView
from cmh.analytics.domain.report import CourseReport as Report
from cmh.analytics.domain.report import course_report
from cmh.kernel.auth.principal import Principal

CSV_COLUMNS = ["section", "item", "metric", "value"]


async def report_of(
    directory: CourseDirectory, warehouse: FactWarehouse, principal: Principal, course_id: str
) -> Report:
    course = await reported_course(directory, course_id, principal)
    return course_report(course_id, course.title, await warehouse.of_course(course_id))


class CourseReport:
    def __init__(self, directory: CourseDirectory, warehouse: FactWarehouse) -> None:
        self._directory = directory
        self._warehouse = warehouse

    async def execute(self, principal: Principal, course_id: str) -> CourseReportView:
        report = await report_of(self._directory, self._warehouse, principal, course_id)
        return msgspec.convert(report, CourseReportView, from_attributes=True)


def report_rows(report: Report) -> list[list[str]]:
    """One tidy table (section, item, metric, value) holding every section."""
    rows = [["enrollments", d.day.isoformat(), "count", str(d.count)] for d in report.enrollments]
    rows += [["funnel", s.step, "learners", str(s.learners)] for s in report.funnel]
    if report.drop_off is not None:
        rows.append(
            ["drop_off", report.drop_off.lesson_id, "learners", str(report.drop_off.learners)]
        )
    for d in report.quiz_difficulty:
        rows += [
            [f"difficulty_{d.kind}", d.item, "attempts", str(d.attempts)],
            [f"difficulty_{d.kind}", d.item, "mean_percent", str(d.mean_percent)],
            [f"difficulty_{d.kind}", d.item, "difficulty", str(d.difficulty)],
        ]
    for c in report.lab_costs:
        rows += [
            ["lab_cost", c.template_id, "sessions", str(c.sessions)],
            ["lab_cost", c.template_id, "hours", str(c.hours)],
            ["lab_cost", c.template_id, "cost_usd", c.cost_usd],
        ]
    return rows


class CourseReportCsv:
    def __init__(self, directory: CourseDirectory, warehouse: FactWarehouse) -> None:
        self._directory = directory
        self._warehouse = warehouse

    async def execute(self, principal: Principal, course_id: str) -> CsvDocumentView:
        report = await report_of(self._directory, self._warehouse, principal, course_id)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(report_rows(report))
        return CsvDocumentView(filename=f"course-{course_id}-report.csv", content=buffer.getvalue())
