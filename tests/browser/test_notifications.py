"""Notifications in the browser: the bell's unread count rises live over the WebSocket when
something happens elsewhere (here, an enrollment made through the API), the inbox marks
read, and the preferences keep channels and quiet hours."""

from __future__ import annotations

import json
import re
import uuid

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import RunningPlatform, check_page, sign_up_verified

pytestmark = pytest.mark.browser


def test_the_bell_counts_live_and_the_inbox_reads(
    page: Page, web_platform: RunningPlatform
) -> None:
    base = web_platform.url
    sign_up_verified(page, web_platform, f"mary-{uuid.uuid4().hex[:8]}@example.com", "Mary Kenneth")
    bell = page.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$"))
    expect(bell).to_be_visible()
    page.wait_for_load_state("networkidle")
    before = int(re.findall(r"\d+", bell.get_attribute("aria-label") or "")[0])

    # Something happens in another tab: the bell hears of it without a reload.
    token = json.loads(page.evaluate("localStorage.getItem('cmh.session')"))["access"]
    with httpx.Client(base_url=base, headers={"authorization": f"Bearer {token}"}) as api:
        course = next(
            c for c in api.get("/api/v1/courses").json()["items"] if c["level"] == "beginner"
        )
        assert api.post(f"/api/v1/courses/{course['id']}/enrollments").status_code == 201
    expect(page.get_by_role("link", name=f"Notifications, {before + 1} unread")).to_be_visible(
        timeout=30_000
    )

    page.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$")).click()
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    check_page(page, "inbox")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("link", name="Notifications, 0 unread")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(0)

    page.get_by_role("link", name="Preferences").click()
    page.get_by_label("marketing by inbox").uncheck()
    page.get_by_label("Keep quiet hours").check()
    page.get_by_label("From").fill("21:30")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    check_page(page, "notification-preferences")
    page.reload()
    expect(page.get_by_label("marketing by inbox")).not_to_be_checked()
    expect(page.get_by_label("Keep quiet hours")).to_be_checked()
    expect(page.get_by_label("From")).to_have_value("21:30")
