from __future__ import annotations

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
    """One embedded platform for every journey, seeded as `make run` seeds it."""
    chromium_or_fail()
    dist = build_web_client()
    data_dir: Path = tmp_path_factory.mktemp("browser-platform")
    yield from start_platform(data_dir, dist)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
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
