from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.harness import (
    DESKTOP,
    RunningPlatform,
    browser_session,
    build_web_client,
    chromium_or_fail,
    start_platform,
)


@pytest.fixture(scope="session")
def web_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningPlatform]:
    """One embedded platform for every journey, seeded as `make run` seeds it.
    CMH_TEST_WEB_URL and CMH_TEST_WEB_DATA_DIR name one already running instead (while
    writing a journey: the platform's start, with its seed, takes a minute or two)."""
    chromium_or_fail()
    if os.environ.get("CMH_TEST_WEB_URL"):
        yield RunningPlatform(
            os.environ["CMH_TEST_WEB_URL"], Path(os.environ["CMH_TEST_WEB_DATA_DIR"])
        )
        return
    dist = build_web_client()
    data_dir: Path = tmp_path_factory.mktemp("browser-platform")
    yield from start_platform(data_dir, dist)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per session: Playwright's sync API runs an event loop of its own for
    # as long as it is open, and the asyncio tests that run after the journeys need none.
    yield from browser_session()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
