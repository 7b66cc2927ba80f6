"""Accounts in the browser: sign up, verify the address from the mailed link, sign in,
the profile, a silent token refresh, sign out; single sign-on through the stand-in identity
provider; the pages on a phone-sized screen."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import PHONE, RunningPlatform, check_page, mail_link, sign_in

pytestmark = pytest.mark.browser
LEARNER = ("learner@cloudmastershub.dev", "learn-the-cloud-42")


def test_sign_up_verify_sign_in_profile_refresh_sign_out(
    page: Page, web_platform: RunningPlatform
) -> None:
    base = web_platform.url
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(f"{base}/signup")
    check_page(page, "signup")
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 10 characters)").fill("analytical-engine-1843")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()

    page.goto(mail_link(web_platform, email, "/verify-email#token="))
    expect(page.get_by_text("Your email address is verified.")).to_be_visible()
    check_page(page, "verify-email")

    page.goto(f"{base}/login")
    check_page(page, "login")
    sign_in(page, base, email, "analytical-engine-1843")
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    expect(page.get_by_text("verified")).to_be_visible()
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_label("Locale (e.g. en, fr-CA)").fill("en-GB")
    page.get_by_label("Interests, comma separated").fill("aws, kubernetes")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    check_page(page, "profile")
    page.reload()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    expect(page.get_by_label("Interests, comma separated")).to_have_value("aws, kubernetes")

    # An access token past its time is refreshed silently before the next call.
    before = json.loads(page.evaluate("localStorage.getItem('cmh.session')"))
    page.evaluate(
        "() => { const s = JSON.parse(localStorage.getItem('cmh.session'));"
        " s.expiresAt = 0; localStorage.setItem('cmh.session', JSON.stringify(s)); }"
    )
    page.reload()
    expect(page.get_by_label("Locale (e.g. en, fr-CA)")).to_have_value("en-GB")
    after = json.loads(page.evaluate("localStorage.getItem('cmh.session')"))
    assert after["access"] != before["access"]
    assert after["refresh"] != before["refresh"]  # rotated

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("localStorage.getItem('cmh.session')") is None
    page.goto(f"{base}/profile")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fprofile"))


def test_a_wrong_password_is_said_plainly(page: Page, web_platform: RunningPlatform) -> None:
    page.goto(f"{web_platform.url}/login")
    page.get_by_label("Email").fill(LEARNER[0])
    page.get_by_label("Password").fill("not-the-password-1")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, "login-refused")


def test_single_sign_on_through_the_identity_provider(
    page: Page, web_platform: RunningPlatform
) -> None:
    page.goto(f"{web_platform.url}/login")
    page.get_by_role("button", name="Sign in with single sign-on").click()
    expect(page).to_have_url(re.compile(r"/local-idp/authorize"))
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("sso-the-cloud-42")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    page.get_by_role("link", name=re.compile("sam", re.IGNORECASE)).click()
    expect(page.get_by_text("sam@sso.example.net")).to_be_visible()


def test_sign_in_on_a_phone(page: Page, web_platform: RunningPlatform) -> None:
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    sign_in(page, web_platform.url, *LEARNER)
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_page(page, "catalog-phone")
