"""My learning in the browser: the header's link for signed-in people, the learner's courses
with their progress, and the way on to each course's next lesson."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import RunningPlatform, check_page, sign_up_verified

pytestmark = pytest.mark.browser
COURSE = "AWS Cloud Practitioner Essentials"


def test_my_courses_with_progress_and_the_next_lesson(
    page: Page, web_platform: RunningPlatform
) -> None:
    base = web_platform.url
    page.goto(f"{base}/courses")
    expect(page.get_by_role("link", name="My learning")).to_have_count(0)  # signed out
    sign_up_verified(page, web_platform, f"lin-{uuid.uuid4().hex[:8]}@example.com", "Lin Clark")

    page.get_by_role("link", name="My learning").click()
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    expect(page.get_by_role("link", name="Find one in the catalog")).to_be_visible()

    page.goto(f"{base}/courses")
    page.get_by_role("link", name=COURSE).click()
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    # The second lesson marked complete: the first is still the next one.
    page.get_by_role("link", name="Regions and availability zones").click()
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("Lesson completed")).to_be_visible()

    page.get_by_role("link", name="My learning").click()
    course = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=COURSE))
    bar = course.get_by_role("progressbar", name="Progress")
    expect(bar).to_be_visible()
    assert int(bar.get_attribute("value") or "0") > 0
    expect(course.get_by_role("link", name=f"Discussion of {COURSE}")).to_be_visible()
    check_page(page, "my-learning")
    course.get_by_role("link", name=f"Continue: What the cloud is ({COURSE})").click()
    expect(page.get_by_role("heading", name="What the cloud is", level=1)).to_be_visible()
