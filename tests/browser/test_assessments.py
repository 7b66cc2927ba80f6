"""Quizzes in the browser: a quiz lesson's attempt with the server's deadline counted down,
every answer saved as it is given, the submission and the graded result; the certificates
page, and the public verification page, which needs no sign-in."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.harness import RunningPlatform, check_page, sign_up_verified
from tests.e2e.support import right_answer

pytestmark = pytest.mark.browser
INSTRUCTOR = ("instructor@cloudmastershub.dev", "teach-the-cloud-42")


def answer_keys(base: str, course_id: str) -> dict[str, Any]:
    """The right answers, from the instructor's question bank (the API, not the page)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        login = client.post(
            "/api/v1/auth/login", json={"email": INSTRUCTOR[0], "password": INSTRUCTOR[1]}
        )
        headers = {"authorization": f"Bearer {login.json()['access_token']}"}
        bank = client.get(
            "/api/v1/assessments/questions", params={"course_id": course_id}, headers=headers
        )
        return {q["id"]: (q, right_answer(q)) for q in bank.json()}


def give(fieldset: Locator, question: dict[str, Any], value: Any) -> None:
    texts = {c["id"]: c["text"] for c in question["choices"]}
    match question["kind"]:
        case "single":
            fieldset.get_by_label(texts[value], exact=True).check()
        case "multiple":
            for choice in value:
                fieldset.get_by_label(texts[choice], exact=True).check()
        case "true_false":
            fieldset.get_by_label("True" if value else "False", exact=True).check()
        case "ordering":
            for position, choice in enumerate(value, start=1):
                fieldset.get_by_label(texts[choice], exact=True).fill(str(position))
                fieldset.get_by_label(texts[choice], exact=True).dispatch_event("change")
        case _:
            fieldset.get_by_label("Your answer").fill(str(value))
            fieldset.get_by_label("Your answer").dispatch_event("change")


def test_a_quiz_attempt_autosaved_submitted_and_graded(
    page: Page, web_platform: RunningPlatform
) -> None:
    base = web_platform.url
    sign_up_verified(page, web_platform, f"alan-{uuid.uuid4().hex[:8]}@example.com", "Alan Turing")
    page.goto(f"{base}/courses")
    page.get_by_role("link", name="AWS Cloud Practitioner Essentials").click()
    page.get_by_role("button", name="Enroll").click()
    course_id = page.url.rsplit("/", 1)[-1]
    page.get_by_role("link", name="Check your understanding").click()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/assessments/attempts/[^/]+$"))
    expect(page.get_by_role("timer")).to_contain_text(re.compile(r"Time left: \d+:\d\d"))
    check_page(page, "quiz-attempt")

    keys = answer_keys(base, course_id)
    fieldsets = page.locator("fieldset")
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        prompt = fieldset.locator("legend").inner_text()
        question, value = next(
            (q, v) for q, v in keys.values() if prompt.split(". ", 1)[1].startswith(q["prompt"])
        )
        give(fieldset, question, value)
        expect(fieldset.get_by_role("status")).to_have_text("Saved")

    page.reload()  # what was saved is what the page shows again
    expect(page.get_by_role("status").filter(has_text="Saved")).to_have_count(0)
    page.get_by_role("button", name="Submit answers").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Result: \d+ of \d+ \(100%\)"))
    ).to_be_visible()
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()
    check_page(page, "quiz-result")


def test_certificates_and_the_public_verification_page(
    page: Page, web_platform: RunningPlatform
) -> None:
    sign_up_verified(page, web_platform, f"ida-{uuid.uuid4().hex[:8]}@example.com", "Ida Rhodes")
    page.goto(f"{web_platform.url}/certificates")
    expect(page.get_by_text("No certificate yet")).to_be_visible()
    check_page(page, "certificates")

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{web_platform.url}/verify/NOT-A-REAL-CODE")
    expect(page.get_by_role("heading", name="Certificate verification")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("unknown")
    expect(page).to_have_url(re.compile(r"/verify/NOT-A-REAL-CODE$"))  # no sign-in asked
    check_page(page, "verify-unknown")
