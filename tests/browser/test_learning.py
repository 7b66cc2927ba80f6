"""Learning in the browser: the catalog's search and facets, a course page, enrolling (and
the way to a plan that allows a course the free plan does not), the player: a video that
resumes where the learner left off, a text lesson marked complete, the progress bar."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import RunningPlatform, check_page, sign_up_verified

pytestmark = pytest.mark.browser


def test_search_and_facets(page: Page, web_platform: RunningPlatform) -> None:
    page.goto(f"{web_platform.url}/courses")
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    # The seeded four, and whatever courses the other journeys published before this one.
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^\d+ courses$"))
    everything = status.inner_text()
    assert int(everything.split()[0]) >= 4
    check_page(page, "catalog")

    clouds = page.get_by_role("region", name="Cloud")
    clouds.get_by_role("link", name=re.compile(r"azure \(")).click()
    expect(status).to_have_text("1 course")
    expect(page.get_by_role("link", name="Azure Fundamentals (AZ-900)")).to_be_visible()
    clouds.get_by_role("link", name=re.compile(r"azure \(")).click()  # the filter off again
    expect(status).to_have_text(everything)

    page.get_by_label("Search courses").fill("lambda")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=lambda"))
    expect(page.get_by_role("link", name="Serverless Applications with AWS Lambda")).to_be_visible()
    expect(status).to_have_text("1 course")
    page.go_back()
    expect(status).to_have_text(everything)


def test_enroll_upgrade_path_and_the_player(page: Page, web_platform: RunningPlatform) -> None:
    base = web_platform.url
    sign_up_verified(
        page, web_platform, f"grace-{uuid.uuid4().hex[:8]}@example.com", "Grace Hopper"
    )

    # The free plan takes beginner courses only: the page offers the upgrade instead.
    page.goto(f"{base}/courses?q=lambda")
    page.get_by_role("link", name="Serverless Applications with AWS Lambda").click()
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_role("alert")).to_contain_text("plan")
    expect(page.get_by_role("link", name="Upgrade to Pro")).to_have_attribute("href", "/billing")
    check_page(page, "course-upgrade")

    page.goto(f"{base}/courses")
    page.get_by_role("link", name="AWS Cloud Practitioner Essentials").click()
    expect(page.get_by_role("heading", name="Outline")).to_be_visible()
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "0")
    check_page(page, "course")

    # A video lesson: the position is saved on pause and the lesson resumes there.
    page.get_by_role("link", name="What the cloud is").click()
    video = page.get_by_label("Video: What the cloud is")
    expect(video).to_be_visible()
    page.wait_for_function("() => document.querySelector('video').readyState >= 1", timeout=30_000)
    with page.expect_response(lambda r: r.url.endswith("/position") and r.ok):
        video.evaluate("v => { v.currentTime = 3; v.dispatchEvent(new Event('pause')); }")
    check_page(page, "player-video")
    page.reload()
    expect(page.get_by_label("Video: What the cloud is")).to_have_attribute("data-resume", "3")
    expect(page.get_by_text("Resuming at 3s.")).to_be_visible()

    # A text lesson marked complete moves the progress bar.
    page.get_by_role("link", name="Next lesson").click()
    expect(
        page.get_by_role("heading", name="Regions and availability zones", level=1)
    ).to_be_visible()
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("Lesson completed")).to_be_visible()
    outline = page.get_by_role("navigation", name="Course outline")
    expect(outline.get_by_label("completed")).to_have_count(1)
    bar = outline.get_by_role("progressbar", name="Progress")
    assert int(bar.get_attribute("value") or "0") > 0
    check_page(page, "player-text")
