"""The course forum in the browser: a learner enrolls in a free course, opens its discussion
and starts a thread; a second learner (a browser of their own) replies with an @mention,
reacts, follows the thread and reports a post; the author, who hears of the mention in the
inbox, accepts the answer and replies under it; the forum's search finds the thread (its
index follows the posts' events, so the search is retried)."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.harness import DESKTOP, PHONE, RunningPlatform, check_page, sign_up_verified

pytestmark = pytest.mark.browser
COURSE = "AWS Cloud Practitioner Essentials"


def learner(
    browser: Browser, platform: RunningPlatform, name: str
) -> tuple[BrowserContext, Page, str]:
    """A new verified learner in a browser context of their own, enrolled in COURSE."""
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.com"
    sign_up_verified(page, platform, email, name)
    page.goto(f"{platform.url}/courses")
    page.get_by_role("link", name=COURSE).click()
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    return context, page, email


def search_until_found(page: Page, words: str, title: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        page.get_by_label("Search the discussion").fill(words)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("status")).to_contain_text(f"found for “{words}”")
        if page.get_by_role("link", name=title).count():
            return
        assert time.monotonic() < deadline, f"the search never found {title!r}"
        time.sleep(0.5)


def test_a_question_answered_on_the_course_board(
    browser: Browser, web_platform: RunningPlatform
) -> None:
    title = f"Versioned buckets {uuid.uuid4().hex[:6]}"
    ada_context, ada, ada_email = learner(browser, web_platform, "Ada Lovelace")
    ben_context, ben, _ = learner(browser, web_platform, "Ben Bitdiddle")
    try:
        # Ada opens the course's discussion from the course page and asks.
        ada.get_by_role("link", name="Discussion", exact=True).click()
        expect(ada.get_by_role("heading", name=f"Discussion: {COURSE}")).to_be_visible()
        check_page(ada, "forum-board")
        ada.get_by_label("Title").fill(title)
        ada.get_by_label("Your question or idea (Markdown)").fill(
            "How do I get an old copy of an object back after overwriting it?"
        )
        ada.get_by_role("button", name="Post thread").click()
        expect(ada.get_by_role("heading", name=title, level=1)).to_be_visible()
        expect(ada.get_by_role("button", name="Follow thread")).to_have_attribute(
            "aria-pressed", "true"
        )  # an author follows their own thread
        expect(ada.get_by_role("button", name="Accept as answer")).to_have_count(0)
        check_page(ada, "forum-thread")
        thread_url = ada.url

        # Ben finds it on the board, replies mentioning Ada, reacts and follows.
        ben.get_by_role("link", name="Discussion", exact=True).click()
        ben.get_by_role("link", name=title).click()
        ben.get_by_label("Reply (Markdown)").fill(
            f"@{ada_email} turn on **versioning** and restore the previous version."
        )
        ben.get_by_role("region", name="Your reply").get_by_role(
            "button", name="Post reply"
        ).click()
        expect(ben.get_by_role("status")).to_have_text("Reply posted.")
        reply = ben.get_by_role("article", name="Reply by You")
        expect(reply.locator(".mention")).to_have_text(f"@{ada_email}")
        question = ben.get_by_role("article", name=re.compile(r"^Question by Learner"))
        helpful = question.get_by_role("button", name=re.compile(r"^Helpful"))
        expect(helpful).to_have_attribute("aria-pressed", "false")
        helpful.click()
        expect(helpful).to_have_attribute("aria-pressed", "true")
        expect(helpful).to_have_text(re.compile(r"Helpful\s+1"))
        ben.get_by_role("button", name="Follow thread").click()
        expect(ben.get_by_role("button", name="Follow thread")).to_have_attribute(
            "aria-pressed", "true"
        )
        # Only the asker (or an instructor) accepts an answer.
        expect(ben.get_by_role("button", name="Accept as answer")).to_have_count(0)

        # Ben reports the question, with a reason.
        question.get_by_text("Report", exact=True).click()
        question.get_by_label("Why should the moderators look at it?").fill("Asked twice")
        question.get_by_role("button", name="Send report").click()
        expect(ben.get_by_role("status")).to_contain_text("reported to the moderators")
        check_page(ben, "forum-thread-reply")

        # Ada hears of the mention in her inbox, which leads to the reply; she sees the
        # reaction on her question and accepts the answer.
        ada.goto(f"{web_platform.url}/notifications")
        mentioned = ada.get_by_role("listitem").filter(
            has=ada.get_by_role("heading", name="You were mentioned")
        )
        expect(mentioned).to_be_visible(timeout=30_000)
        mentioned.get_by_role("link", name="Open").click()
        expect(ada).to_have_url(re.compile(re.escape(thread_url) + r"#post-"))
        answer = ada.get_by_role("article", name=re.compile(r"^Reply by Learner"))
        expect(answer.locator(".mention")).to_have_text(f"@{ada_email}")
        mine = ada.get_by_role("article", name="Question by You")
        expect(mine.get_by_role("button", name=re.compile(r"^Helpful"))).to_have_attribute(
            "aria-pressed", "false"
        )
        expect(mine.get_by_role("button", name=re.compile(r"^Helpful"))).to_have_text(
            re.compile(r"Helpful\s+1")
        )
        answer.get_by_role("button", name="Accept as answer").click()
        expect(answer.get_by_text("✓ Accepted answer")).to_be_visible()
        expect(ada.get_by_role("status")).to_have_text("Answer accepted.")
        thanks = answer.get_by_role("button", name=re.compile(r"^Thanks"))
        thanks.click()
        expect(thanks).to_have_attribute("aria-pressed", "true")
        thanks.click()  # a toggle: pressed again, the reaction is taken back
        expect(thanks).to_have_attribute("aria-pressed", "false")
        expect(thanks).to_have_text(re.compile(r"Thanks\s+0"))
        # She thanks Ben under his answer: a reply nested under it.
        answer.get_by_text("Reply to this", exact=True).click()
        answer.get_by_label(re.compile(r"^Your reply to Learner")).fill("That worked, thank you!")
        answer.get_by_role("button", name="Post reply").click()
        expect(ada.get_by_role("status")).to_have_text("Reply posted.")
        nested = ada.locator("ol.nested").get_by_role("article", name="Reply by You")
        expect(nested).to_contain_text("That worked, thank you!")
        check_page(ada, "forum-thread-answered")

        # On a phone the thread fits the screen's width.
        ada.set_viewport_size(PHONE)  # type: ignore[arg-type]
        expect(answer).to_be_visible()
        assert ada.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        ada.set_viewport_size(DESKTOP)  # type: ignore[arg-type]

        # The board lists the thread as answered; the search finds it.
        ada.get_by_role("link", name="Back to the discussion").click()
        listed = ada.get_by_role("listitem").filter(has=ada.get_by_role("link", name=title))
        expect(listed.get_by_text("Answered")).to_be_visible()
        search_until_found(ada, "versioning", title)
        expect(ada).to_have_url(re.compile(r"/forum/search\?q=versioning"))
        check_page(ada, "forum-search")
        # The title is in every post of the thread: the thread is listed once.
        search_until_found(ada, title.split()[-1], title)
        expect(ada.get_by_role("link", name=title)).to_have_count(1)
        ada.get_by_role("link", name=title).click()
        expect(ada.get_by_role("heading", name=title, level=1)).to_be_visible()
    finally:
        ada_context.close()
        ben_context.close()


def test_a_course_board_is_for_the_course_members(
    page: Page, web_platform: RunningPlatform
) -> None:
    sign_up_verified(
        page, web_platform, f"eve-{uuid.uuid4().hex[:8]}@example.com", "Eve Unenrolled"
    )
    page.goto(f"{web_platform.url}/courses")
    page.get_by_role("link", name=COURSE).click()
    page.get_by_role("link", name="Discussion", exact=True).click()
    expect(page.get_by_text("The discussion is open to the course's learners")).to_be_visible()
    page.get_by_role("link", name="Enroll in the course").click()
    expect(page.get_by_role("button", name="Enroll")).to_be_visible()
