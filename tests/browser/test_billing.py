"""Billing in the browser: a free learner chooses Pro, pays through the local Stripe
stand-in, and sees the subscription and the invoice; the course the free plan refused
is theirs to take."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import RunningPlatform, check_page, sign_up_verified

pytestmark = pytest.mark.browser


def test_upgrade_to_pro_through_checkout(page: Page, web_platform: RunningPlatform) -> None:
    base = web_platform.url
    sign_up_verified(page, web_platform, f"edsger-{uuid.uuid4().hex[:8]}@example.com", "Edsger")
    page.goto(f"{base}/billing")
    expect(page.locator("[data-subscription]")).to_have_attribute("data-subscription", "none")
    check_page(page, "billing")
    page.get_by_role("button", name="Choose Pro (monthly)").click()
    expect(page).to_have_url(re.compile(r"/billing/checkout/[^/]+$"))
    check_page(page, "checkout")
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", name="Billing")).to_be_visible()

    # The subscription and the invoice arrive by two webhooks, each handled off the
    # request: the page shows them once both are done, in either order.
    invoice = page.get_by_role("cell", name=re.compile("pro_monthly"))
    for _ in range(50):
        active = page.locator("[data-subscription]").get_attribute("data-subscription") == "active"
        if active and invoice.count() > 0:
            break
        page.wait_for_timeout(300)
        page.reload()
    expect(page.locator("[data-subscription]")).to_have_attribute("data-subscription", "active")
    expect(invoice).to_be_visible()
    check_page(page, "billing-subscribed")

    page.goto(f"{base}/courses?q=lambda")
    page.get_by_role("link", name="Serverless Applications with AWS Lambda").click()
    page.get_by_role("button", name="Enroll").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
