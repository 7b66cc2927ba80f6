"""Revenue by plan and month net of refunds, and active subscriptions per plan (admins),
as JSON or CSV."""

from __future__ import annotations

import csv
import io

from cmh.analytics.application.access import ensure_admin
from cmh.analytics.application.ports import FactWarehouse
from cmh.analytics.application.views import (
    CsvDocumentView,
    PlanMonthView,
    PlanSubscriptionsView,
    PlanTotalView,
    RevenueReportView,
)
from cmh.analytics.domain import facts as k
from cmh.analytics.domain.revenue import RevenueReport as Report
from cmh.analytics.domain.revenue import revenue_report
from cmh.kernel.auth.principal import Principal

CSV_COLUMNS = ["section", "plan_id", "month", "currency", "metric", "value"]


async def report_of(warehouse: FactWarehouse, principal: Principal) -> Report:
    ensure_admin(principal)
    return revenue_report(await warehouse.of_kinds(k.REVENUE))


def revenue_view(report: Report) -> RevenueReportView:
    return RevenueReportView(
        months=[
            PlanMonthView(
                plan_id=m.plan_id,
                month=m.month,
                currency=m.currency,
                payments=m.payments,
                refunds=m.refunds,
                gross=str(m.gross),
                refunded=str(m.refunded),
                net=str(m.net),
            )
            for m in report.months
        ],
        totals=[
            PlanTotalView(
                plan_id=t.plan_id,
                currency=t.currency,
                gross=str(t.gross),
                refunded=str(t.refunded),
                net=str(t.net),
            )
            for t in report.totals
        ],
        subscriptions=[
            PlanSubscriptionsView(plan_id=s.plan_id, active=s.active, seats=s.seats)
            for s in report.subscriptions
        ],
    )


def revenue_rows(report: Report) -> list[list[str]]:
    """One tidy table: ``month`` rows per plan, month and currency, ``total`` rows per plan
    and currency, ``subscriptions`` rows per plan."""
    rows: list[list[str]] = []
    for m in report.months:
        rows += [
            ["month", m.plan_id, m.month, m.currency, "payments", str(m.payments)],
            ["month", m.plan_id, m.month, m.currency, "refunds", str(m.refunds)],
            ["month", m.plan_id, m.month, m.currency, "gross", str(m.gross)],
            ["month", m.plan_id, m.month, m.currency, "refunded", str(m.refunded)],
            ["month", m.plan_id, m.month, m.currency, "net", str(m.net)],
        ]
    for t in report.totals:
        rows += [
            ["total", t.plan_id, "", t.currency, "gross", str(t.gross)],
            ["total", t.plan_id, "", t.currency, "refunded", str(t.refunded)],
            ["total", t.plan_id, "", t.currency, "net", str(t.net)],
        ]
    for s in report.subscriptions:
        rows += [
            ["subscriptions", s.plan_id, "", "", "active", str(s.active)],
            ["subscriptions", s.plan_id, "", "", "seats", str(s.seats)],
        ]
    return rows


class RevenueByPlan:
    def __init__(self, warehouse: FactWarehouse) -> None:
        self._warehouse = warehouse

    async def execute(self, principal: Principal) -> RevenueReportView:
        return revenue_view(await report_of(self._warehouse, principal))


class RevenueByPlanCsv:
    def __init__(self, warehouse: FactWarehouse) -> None:
        self._warehouse = warehouse

    async def execute(self, principal: Principal) -> CsvDocumentView:
        report = await report_of(self._warehouse, principal)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(revenue_rows(report))
        return CsvDocumentView(filename="revenue-by-plan.csv", content=buffer.getvalue())
