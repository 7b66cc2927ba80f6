"""The admin pages in the browser: the seeded administrator finds an account, reads the
labs (costs, sessions, warm pools), the subscriptions (the seeded pro learner's among
them) and the dead letters; disabling an account asks first and signs its owner out of
nothing they can use; a learner sees no Admin entry and is told the pages are not theirs."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import (
    NEW_PASSWORD,
    PHONE,
    PRO,
    RunningPlatform,
    check_page,
    sign_in,
    sign_up_verified,
)

pytestmark = pytest.mark.browser
ADMIN = ("admin@cloudmastershub.dev", "admin-the-cloud-42")
LEARNER = ("learner@cloudmastershub.dev", "learn-the-cloud-42")


def test_an_administrator_reads_users_labs_subscriptions_dead_letters(
    page: Page, web_platform: RunningPlatform
) -> None:
    base = web_platform.url
    sign_in(page, base, *ADMIN)
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Admin", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    expect(page.get_by_role("cell", name=ADMIN[0])).to_be_visible()
    check_page(page, "admin-users")

    page.get_by_label("Search by name or email").fill("learner@cloudmastershub")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/admin/users\?q=learner"))
    expect(page.get_by_role("cell", name=LEARNER[0])).to_be_visible()
    expect(page.get_by_role("cell", name=ADMIN[0])).to_have_count(0)
    row = page.get_by_role("row").filter(has_text=LEARNER[0])
    row.get_by_role("link").click()
    expect(page.get_by_text(re.compile(f"^{re.escape(LEARNER[0])} "))).to_be_visible()
    expect(page.get_by_role("checkbox", name="learner")).to_be_checked()
    expect(page.get_by_role("button", name="Disable account")).to_be_enabled()
    check_page(page, "admin-user")

    nav = page.get_by_role("navigation", name="Admin")
    nav.get_by_role("link", name="Labs").click()
    expect(page.get_by_role("heading", name=re.compile(r"Costs per template: \$"))).to_be_visible()
    expect(page.get_by_role("heading", name="Warm pools")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Sessions"))).to_be_visible()
    check_page(page, "admin-labs")
    page.get_by_label("Costs per").select_option("course")
    page.get_by_label("Sessions in status").select_option("ended")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"group_by=course&status=ended"))
    expect(page.get_by_role("heading", name=re.compile(r"Costs per course"))).to_be_visible()
    expect(page.get_by_role("heading", name="Sessions (ended)")).to_be_visible()

    nav.get_by_role("link", name="Subscriptions").click()
    pro = page.get_by_role("row").filter(has_text=PRO[0]).filter(has_text="pro_monthly")
    expect(pro.first).to_be_visible()
    expect(pro.first).to_contain_text("active")
    check_page(page, "admin-subscriptions")

    nav.get_by_role("link", name="Dead letters").click()
    expect(page.get_by_role("heading", name="Dead letters")).to_be_visible()
    expect(
        page.get_by_text("No dead letters: every message was handled.").or_(
            page.locator("ul.cards li").first
        )
    ).to_be_visible()
    check_page(page, "admin-dead-letters")

    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    nav.get_by_role("link", name="Users").click()
    expect(page.get_by_role("cell", name=LEARNER[0])).to_be_visible()
    check_page(page, "admin-users-phone")


def test_disabling_an_account_asks_first(page: Page, web_platform: RunningPlatform) -> None:
    base = web_platform.url
    email = f"grace-{uuid.uuid4().hex[:8]}@example.com"
    sign_up_verified(page, web_platform, email, "Grace Hopper")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, *ADMIN)
    page.goto(f"{base}/admin/users?q={email}")
    page.get_by_role("link", name="Grace Hopper").click()

    page.get_by_role("button", name="Disable account").click()
    question = page.get_by_role("alertdialog")
    expect(question).to_contain_text("Disable Grace Hopper's account?")
    check_page(page, "admin-user-confirm")
    question.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(page.locator("[data-account-status]")).to_have_text("active")

    page.get_by_role("button", name="Disable account").click()
    page.get_by_role("button", name="Yes, disable").click()
    expect(page.get_by_text("Account disabled.")).to_be_visible()
    expect(page.locator("[data-account-status]")).to_have_text("disabled")

    # Granting a role asks nothing; taking one away asks first.
    page.get_by_role("checkbox", name="instructor").check()
    page.get_by_role("button", name="Save roles").click()
    expect(page.get_by_text("Roles saved.")).to_be_visible()
    page.get_by_role("checkbox", name="instructor").uncheck()
    page.get_by_role("button", name="Save roles").click()
    page.get_by_role("button", name="Yes, change the roles").click()
    expect(page.get_by_text("Roles saved.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="instructor")).not_to_be_checked()

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    sign_in(page, base, *ADMIN)
    page.goto(f"{base}/admin/users?q={email}")
    page.get_by_role("link", name="Grace Hopper").click()
    page.get_by_role("button", name="Enable account").click()
    expect(page.get_by_text("Account enabled.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, email, NEW_PASSWORD)


def test_a_learner_is_not_allowed(page: Page, web_platform: RunningPlatform) -> None:
    base = web_platform.url
    sign_in(page, base, *LEARNER)
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Billing")).to_be_visible()
    expect(main_nav.get_by_role("link", name="Admin", exact=True)).to_have_count(0)
    page.goto(f"{base}/admin/users")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text("Only administrators may see this page.")
    expect(page.get_by_role("cell", name=LEARNER[0])).to_have_count(0)
    check_page(page, "admin-not-allowed")
