"""One journey through the distributed profile's gateway (every service its own process):
the client it serves at `/` signs the demo learner in, browses the catalog, opens a course
and a lesson of theirs, and hears the notifications stream through the gateway's WebSocket
proxy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cmh_testing.kernel.servers import server_url
from tests.browser.harness import check_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.distributed]
LEARNER = ("learner@cloudmastershub.dev", "learn-the-cloud-42")


def test_a_learner_through_the_gateway(page: Page) -> None:
    base = server_url("CMH_TEST_GATEWAY_URL").rstrip("/")
    sign_in(page, base, *LEARNER)
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"[1-9]\d* courses?"))
    check_page(page, "distributed-catalog")

    page.get_by_role("link", name="AWS Cloud Practitioner Essentials").click()
    expect(page.get_by_role("heading", name="Outline")).to_be_visible()
    enroll = page.get_by_role("button", name="Enroll")
    if enroll.is_visible():
        enroll.click()
        expect(page.get_by_text("You are enrolled.")).to_be_visible()
    page.get_by_role("link", name="Regions and availability zones").click()
    expect(
        page.get_by_role("heading", name="Regions and availability zones", level=1)
    ).to_be_visible()
    check_page(page, "distributed-lesson")

    # The bell's socket goes through the gateway's WebSocket proxy.
    with page.expect_websocket(
        lambda ws: ws.url.endswith("/api/v1/notifications/stream")
    ) as opened:
        page.reload()
    assert not opened.value.is_closed()
    expect(
        page.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$"))
    ).to_be_visible()
