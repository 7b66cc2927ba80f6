"""Teaching in the browser: the seeded instructor starts a draft course, adds a module, a
text lesson, a video lesson (a real clip uploaded with its progress shown and followed
until content has transcoded it), a lab lesson with a lab template authored for it and a
quiz lesson with its quiz (questions, the quiz, published); reorders modules and lessons;
publishes the course, opens its report and downloads the report's CSV."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cmh_testing.content import tiny_video
from tests.browser.harness import DESKTOP, PHONE, RunningPlatform, check_page, sign_in

pytestmark = pytest.mark.browser
INSTRUCTOR = ("instructor@cloudmastershub.dev", "teach-the-cloud-42")


def add_lesson(page: Page, title: str, kind: str, video: Path | None = None) -> None:
    form = page.get_by_role("form", name="Add a lesson")
    form.get_by_label("Lesson title").fill(title)
    form.get_by_label("Kind").select_option(kind)
    if video is not None:
        form.get_by_label("Video file (video lessons)").set_input_files(str(video))
    form.get_by_role("button", name="Add the lesson").click()
    expect(page.get_by_text(f"Lesson “{title}” added.")).to_be_visible()


def test_an_instructor_authors_publishes_and_reads_the_report(
    page: Page, web_platform: RunningPlatform, tmp_path: Path
) -> None:
    base = web_platform.url
    sign_in(page, base, *INSTRUCTOR)
    page.get_by_role("link", name="Teach").click()
    expect(page.get_by_role("heading", name="Your courses")).to_be_visible()
    check_page(page, "teach")

    # Its own subject: the other journeys search the seeded catalog (lambda, azure).
    title = f"Event-driven design {uuid.uuid4().hex[:6]}: queues first"
    new_course = page.get_by_role("form", name="New course")
    new_course.get_by_label("Title").fill(title)
    new_course.get_by_label("Summary").fill("Queues and topics, from the first message.")
    new_course.get_by_label("Cloud").select_option("aws")
    new_course.get_by_label("Level").select_option("beginner")
    new_course.get_by_label("Tags, comma separated").fill("queues, messaging")
    new_course.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("[data-course-status]")).to_have_text("draft")
    editor = page.url

    page.get_by_label("Module title").fill("Getting started")
    page.get_by_role("button", name="Add the module").click()
    expect(page.get_by_role("heading", name="Module 1: Getting started")).to_be_visible()
    add_lesson(page, "What a function is", "text")

    # The video goes to the presigned URL with its progress shown, then is followed until
    # content has transcoded it.
    clip = tmp_path / "first-function.mp4"
    clip.write_bytes(tiny_video())
    add_lesson(page, "Your first function", "video", clip)
    expect(page.get_by_role("progressbar", name="Upload progress")).to_have_attribute(
        "value", "100"
    )
    expect(page.locator("[data-asset-status]")).to_have_attribute(
        "data-asset-status", "ready", timeout=90_000
    )
    expect(page.get_by_role("status").filter(has_text="Video ready")).to_be_visible()
    add_lesson(page, "Version a bucket", "lab")
    add_lesson(page, "Check your understanding", "quiz")

    # Modules and lessons move up and down; the order is the course's, so a reload keeps it.
    page.get_by_label("Module title").fill("Going further")
    page.get_by_role("button", name="Add the module").click()
    modules = page.locator("h3[data-module]")
    lessons = page.locator("li[data-lesson] > a")
    expect(modules).to_have_text(["Module 1: Getting started", "Module 2: Going further"])
    expect(page.get_by_role("button", name="Move Getting started up")).to_be_disabled()
    page.get_by_role("button", name="Move Going further up").click()
    expect(page.get_by_text("Moved “Going further” up.")).to_be_visible()
    expect(modules).to_have_text(["Module 1: Going further", "Module 2: Getting started"])
    expect(page.get_by_role("button", name="Move Going further down")).to_be_focused()
    page.get_by_role("button", name="Move Your first function up").click()
    expect(page.get_by_text("Moved “Your first function” up.")).to_be_visible()
    page.get_by_role("button", name="Move Version a bucket down").click()
    expect(page.get_by_text("Moved “Version a bucket” down.")).to_be_visible()
    in_order = [
        "Your first function",
        "What a function is",
        "Check your understanding",
        "Version a bucket",
    ]
    expect(lessons).to_have_text(in_order)
    check_page(page, "teach-course-editor")
    page.reload()
    expect(modules).to_have_text(["Module 1: Going further", "Module 2: Getting started"])
    expect(lessons).to_have_text(in_order)

    # The text lesson's text.
    page.get_by_role("link", name="What a function is").click()
    page.get_by_label(re.compile("^Lesson text")).fill(
        "# Functions\n\nA function runs when an event arrives.\n\nYou pay per call."
    )
    page.get_by_role("button", name="Save the text").click()
    expect(page.get_by_text("Text saved.")).to_be_visible()
    check_page(page, "teach-lesson-text")

    # A lab template authored for the lab lesson becomes its lab.
    page.goto(editor)
    page.get_by_role("link", name="Version a bucket").click()
    page.get_by_role("link", name="Author a new lab template for this lesson").click()
    page.get_by_label("Title", exact=True).fill("Versioned logs bucket")
    page.get_by_label("Task title").fill("A logs- bucket has versioning on")
    page.get_by_label("Hint").fill("Create logs-anything and turn versioning on.")
    check_page(page, "teach-lab-template")
    page.get_by_role("button", name="Create the lab template").click()
    expect(page.get_by_text("Lab: Versioned logs bucket")).to_be_visible()

    # The quiz lesson's quiz: two questions, the quiz, published.
    page.goto(editor)
    page.get_by_role("link", name="Check your understanding").click()
    page.get_by_role("link", name="Author the quiz").click()
    question = page.get_by_role("form", name="Add a question")
    question.get_by_label("Kind").select_option("single")
    question.get_by_label("Question").fill("Which service runs functions?")
    question.get_by_label("Choice A", exact=True).fill("Lambda")
    question.get_by_label("Choice B", exact=True).fill("S3")
    question.get_by_label("Right choice").select_option("a")
    question.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("Question added to the bank.")).to_be_visible()
    question.get_by_label("Kind").select_option("true_false")
    question.get_by_label("Question").fill("A function is billed while idle.")
    question.get_by_label("Right answer (true or false)").select_option("false")
    question.get_by_role("button", name="Add the question").click()
    expect(page.get_by_label("A function is billed while idle.")).to_be_checked()
    check_page(page, "teach-quiz-draft")
    page.get_by_role("button", name="Create the quiz").click()
    expect(page.locator("[data-quiz-status]")).to_have_text("draft")
    page.get_by_role("button", name="Publish the quiz").click()
    expect(page.locator("[data-quiz-status]")).to_have_text("published")
    check_page(page, "teach-quiz")

    page.goto(editor)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("[data-course-status]")).to_have_text("published")
    expect(page.get_by_text("Published: the course is in the catalog.")).to_be_visible()
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    check_page(page, "teach-course-editor-phone")
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]

    page.get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name=f"Report: {title}")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Completion funnel: enrolled"))).to_be_visible()
    expect(page.get_by_role("table", name="Completion funnel")).to_be_visible()
    check_page(page, "teach-report")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    csv = Path(download.value.path()).read_text()
    assert csv.splitlines()[0] == "section,item,metric,value"
    assert "funnel,enrolled,learners," in csv

    # The course is in the instructor's list, published.
    page.get_by_role("link", name="Teach").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(title)))).to_contain_text("published")
