"""A lab in the browser: launched from a lab lesson, its status followed while it
provisions, the credentials and CLI snippet shown, validated task by task with hints,
extended and ended."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import PRO, RunningPlatform, check_page, sign_in

pytestmark = pytest.mark.browser


def test_launch_follow_validate_extend_end(page: Page, web_platform: RunningPlatform) -> None:
    base = web_platform.url
    sign_in(page, base, *PRO)
    page.goto(f"{base}/courses")
    page.get_by_role("link", name="AWS Cloud Practitioner Essentials").click()
    expect(page.get_by_role("heading", name="Outline")).to_be_visible()
    enroll = page.get_by_role("button", name="Enroll")
    if enroll.is_visible():
        enroll.click()
        expect(page.get_by_text("You are enrolled.")).to_be_visible()
    page.get_by_role("link", name="Version a logs bucket on S3").click()
    page.get_by_role("button", name="Launch the lab").click()
    expect(page).to_have_url(re.compile(r"/labs/[^/]+$"))

    # Provisioning is followed live until the lab is ready (the warm pool makes it quick).
    status = page.locator("[data-status]")
    expect(status).to_have_attribute("data-status", "ready", timeout=60_000)
    expect(page.get_by_role("button", name="Copy Access key ID")).to_be_visible()
    expect(page.locator("pre code")).to_contain_text("export AWS_ACCESS_KEY_ID=")
    expect(page.get_by_text(re.compile(r"\d+ min \d\d s"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"\$[0-9.]+ of \$[0-9.]+"))).to_be_visible()
    check_page(page, "lab-ready")

    page.get_by_role("button", name="Validate").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Validation: [0-9]+ of [0-9]+"))
    ).to_be_visible()
    expect(page.locator(".tasks li").first).to_be_visible()
    expect(page.get_by_text("Hint:").first).to_be_visible()  # nothing done yet: hints shown
    check_page(page, "lab-validated")

    page.get_by_role("button", name="Extend 30 minutes").click()
    expect(page.get_by_text("Extended by 30 minutes.")).to_be_visible()

    page.get_by_role("button", name="End lab").click()
    expect(status).to_have_attribute("data-status", re.compile("tearing_down|ended"))
    expect(status).to_have_attribute("data-status", "ended", timeout=60_000)
    page.goto(f"{base}/labs")
    expect(page.get_by_role("cell", name="ended").first).to_be_visible()
    check_page(page, "labs")
