"""The HTTP contract over SQLite: who sees what, the report as JSON and CSV, charts that
parse, recommendations with reasons, problems that name the field."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import httpx
import uvicorn

from cmh.analytics.api.conftest import ADMIN, INSTRUCTOR, LEARNER, RIVAL, Client
from cmh.analytics.application.course_report import CSV_COLUMNS
from cmh.analytics.application.revenue_report import CSV_COLUMNS as REVENUE_CSV_COLUMNS
from cmh_testing.analytics import AnalyticsTestApp, delivered
from cmh_testing.analytics.events import T0, enrolled, every_event
from cmh_testing.kernel.serving import free_port, running

COURSE = "course-aws"
REPORT = f"/api/v1/analytics/courses/{COURSE}/report"


async def ingested(api: AnalyticsTestApp) -> None:
    (await api.courses()).add_course(COURSE, owner_id=INSTRUCTOR.user_id, title="AWS Foundations")
    for n, event in enumerate(every_event()):
        await delivered(api.container, event, f"env-{n}")


async def test_the_learner_sees_their_dashboard(api: AnalyticsTestApp, client: Client) -> None:
    await ingested(api)
    answer = await client.get("/api/v1/analytics/me/dashboard", headers=api.auth(LEARNER))
    assert answer.status_code == 200
    body = answer.json()
    assert body["courses"] == [
        {
            "course_id": COURSE,
            "title": "AWS Foundations",
            "percentage": 100,
            "completed_lessons": 2,
            "completed": True,
        }
    ]
    assert (body["lab_hours"], body["lab_cost_usd"], body["quiz_average_percent"]) == (
        0.5,
        "0.40",
        75.0,
    )
    assert body["skills"] == [{"skill": "s3", "percent": 75.0, "attempts": 1}]
    assert [c["certificate_id"] for c in body["certificates"]] == ["cert-1"]
    assert (await client.get("/api/v1/analytics/me/dashboard")).status_code == 401


async def test_the_report_for_its_instructor_and_admins_only(
    api: AnalyticsTestApp, client: Client
) -> None:
    await ingested(api)
    mine = await client.get(REPORT, headers=api.auth(INSTRUCTOR))
    assert mine.status_code == 200
    assert [s["learners"] for s in mine.json()["funnel"]] == [1, 1, 1, 1]
    assert mine.json()["lab_costs"] == [
        {"template_id": "t-s3", "sessions": 1, "hours": 0.5, "cost_usd": "0.40"}
    ]
    assert (await client.get(REPORT, headers=api.auth(ADMIN))).status_code == 200
    rival = await client.get(REPORT, headers=api.auth(RIVAL))
    assert (rival.status_code, rival.json()["code"]) == (403, "not_course_instructor")
    learner = await client.get(REPORT, headers=api.auth(LEARNER))
    assert learner.status_code == 403
    missing = await client.get("/api/v1/analytics/courses/nope/report", headers=api.auth(ADMIN))
    assert (missing.status_code, missing.json()["code"]) == (404, "course_not_found")
    bad = await client.get(REPORT, params={"format": "xml"}, headers=api.auth(ADMIN))
    assert bad.status_code == 422
    assert "format" in bad.text


async def test_the_csv_round_trips_to_the_json_report(
    api: AnalyticsTestApp, client: Client
) -> None:
    await ingested(api)
    as_json = (await client.get(REPORT, headers=api.auth(INSTRUCTOR))).json()
    as_csv = await client.get(REPORT, params={"format": "csv"}, headers=api.auth(INSTRUCTOR))
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert list(rows[0]) == CSV_COLUMNS
    funnel = {r["item"]: int(r["value"]) for r in rows if r["section"] == "funnel"}
    assert funnel == {s["step"]: s["learners"] for s in as_json["funnel"]}
    quiz = {
        (r["item"], r["metric"]): float(r["value"])
        for r in rows
        if r["section"] == "difficulty_quiz"
    }
    assert quiz[("q1", "difficulty")] == as_json["quiz_difficulty"][0]["difficulty"]
    cost = [r for r in rows if r["section"] == "lab_cost" and r["metric"] == "cost_usd"]
    assert [(r["item"], r["value"]) for r in cost] == [("t-s3", "0.40")]


async def test_charts_render_as_svg_png_and_vega_lite(
    api: AnalyticsTestApp, client: Client
) -> None:
    await ingested(api)
    base = f"/api/v1/analytics/courses/{COURSE}/charts"
    svg = await client.get(f"{base}/funnel.svg", headers=api.auth(INSTRUCTOR))
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)  # noqa: S314 - the API's own chart
    assert root.tag.endswith("svg")
    assert "Completion funnel" in svg.text
    png = await client.get(f"{base}/enrollments.png", headers=api.auth(INSTRUCTOR))
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    spec = (await client.get(f"{base}/lab-cost.vl.json", headers=api.auth(INSTRUCTOR))).json()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["data"]["values"] == [{"x": "t-s3", "y": 0.4}]
    unknown = await client.get(f"{base}/pie.svg", headers=api.auth(INSTRUCTOR))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_chart")
    wrong = await client.get(f"{base}/funnel.gif", headers=api.auth(INSTRUCTOR))
    assert (wrong.status_code, wrong.json()["errors"][0]["field"]) == (422, "file_name")


async def test_recommendations_carry_reasons_and_limit_is_checked(
    api: AnalyticsTestApp, client: Client
) -> None:
    await ingested(api)
    (await api.profiles()).set_interests(LEARNER.user_id, "Kubernetes")
    answer = await client.get(
        "/api/v1/recommendations/me", params={"limit": 3}, headers=api.auth(LEARNER)
    )
    assert answer.status_code == 200
    items = answer.json()
    assert items
    assert all(i["reasons"] for i in items)
    assert items[0]["lesson_id"] == "l-lab"
    too_many = await client.get(
        "/api/v1/recommendations/me", params={"limit": 500}, headers=api.auth(LEARNER)
    )
    assert too_many.status_code == 422
    assert "limit" in too_many.text


async def test_the_overview_is_for_admins(api: AnalyticsTestApp, client: Client) -> None:
    await ingested(api)
    answer = await client.get("/api/v1/analytics/admin/overview", headers=api.auth(ADMIN))
    assert answer.status_code == 200
    body = answer.json()
    assert (body["learners"], body["enrollments"], body["completions"], body["certificates"]) == (
        1,
        1,
        1,
        1,
    )
    assert body["facts_by_kind"]["lesson.completed"] == 2
    assert (
        await client.get("/api/v1/analytics/admin/overview", headers=api.auth(INSTRUCTOR))
    ).status_code == 403


async def test_every_status_is_in_the_openapi_document(client: Client) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    report = document["paths"]["/api/v1/analytics/courses/{course_id}/report"]["get"]
    assert {"200", "401", "403", "404", "422", "503"} <= set(report["responses"])


async def test_admins_watch_the_live_counters(api: AnalyticsTestApp, client: Client) -> None:
    refused = await client.get("/api/v1/analytics/admin/live", headers=api.auth(LEARNER))
    assert refused.status_code == 403
    received: list[dict[str, object]] = []
    listening = asyncio.Event()
    config = uvicorn.Config(api.app, host="127.0.0.1", port=free_port(), log_level="warning")

    async def watch(base: str) -> None:
        async with (
            httpx.AsyncClient(base_url=base) as http,
            http.stream("GET", "/api/v1/analytics/admin/live", headers=api.auth(ADMIN)) as stream,
        ):
            assert stream.headers["content-type"].startswith("text/event-stream")
            async for line in stream.aiter_lines():
                if line.startswith("data:"):
                    received.append(json.loads(line.removeprefix("data:")))
                    listening.set()
                    if len(received) == 2:
                        return

    async with running(config) as base:
        watching = asyncio.create_task(watch(base))
        await asyncio.wait_for(listening.wait(), timeout=30)  # the first snapshot came
        await delivered(api.container, enrolled("ann", COURSE, T0 + timedelta(hours=2)), "live")
        await asyncio.wait_for(watching, timeout=30)
    assert [(r["active_learners"], r["labs_running"]) for r in received] == [(0, 0), (1, 0)]


REVENUE = "/api/v1/analytics/admin/revenue"


async def test_revenue_by_plan_is_for_admins_as_json_and_csv(
    api: AnalyticsTestApp, client: Client
) -> None:
    await ingested(api)
    answer = await client.get(REVENUE, headers=api.auth(ADMIN))
    assert answer.status_code == 200
    body = answer.json()
    assert body["months"] == [
        {
            "plan_id": "pro-monthly",
            "month": "2026-03",
            "currency": "usd",
            "payments": 1,
            "refunds": 1,
            "gross": "19.00",
            "refunded": "4.50",
            "net": "14.50",
        }
    ]
    assert body["subscriptions"] == [{"plan_id": "pro-monthly", "active": 1, "seats": 1}]
    as_csv = await client.get(REVENUE, params={"format": "csv"}, headers=api.auth(ADMIN))
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert list(rows[0]) == REVENUE_CSV_COLUMNS
    net = {(r["section"], r["plan_id"], r["metric"]): r["value"] for r in rows}
    assert net[("month", "pro-monthly", "net")] == body["months"][0]["net"]
    assert net[("total", "pro-monthly", "net")] == body["totals"][0]["net"] == "14.50"
    assert net[("subscriptions", "pro-monthly", "active")] == "1"
    for who in (INSTRUCTOR, LEARNER):
        refused = await client.get(REVENUE, headers=api.auth(who))
        assert (refused.status_code, refused.json()["code"]) == (403, "admin_only")
    assert (await client.get(REVENUE)).status_code == 401
    bad = await client.get(REVENUE, params={"format": "xml"}, headers=api.auth(ADMIN))
    assert bad.status_code == 422
    assert "format" in bad.text
    document = (await client.get("/schema/openapi.json")).json()
    assert {"200", "401", "403", "422"} <= set(document["paths"][REVENUE]["get"]["responses"])
