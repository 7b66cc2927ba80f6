"""What the browser journeys share: Debian's Chromium driven by Playwright (never a
downloaded browser), the embedded platform started as `make run` starts it (its own port
and data folder), axe-core's accessibility check on every page the journeys visit, and a
screenshot of each kept under .artifacts/browser/ (not in git)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from cmh.apps.platform.settings import NOTIFICATIONS_MAIL_FILE
from cmh_testing.kernel.serving import free_port

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "apps" / "web"
ARTIFACTS = ROOT / ".artifacts" / "browser"
CHROMIUM = os.environ.get("CMH_TEST_CHROMIUM", "/usr/bin/chromium")
# Headless, and quiet: this machine's closed network refuses Chromium's background calls.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What a phone shows (the journeys check the layout there too).
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NEW_PASSWORD = "a-long-password-42"  # noqa: S105 - the journeys' new accounts
# The seeded pro learner (README): every seeded lab and course.
PRO = ("pro@cloudmastershub.dev", "pro-the-cloud-42")
# axe-core impacts that fail a journey.
BLOCKING = {"serious", "critical"}


def chromium_or_fail() -> str:
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    message = f"{CHROMIUM} is missing: apt-get install -y chromium (infra/test.sh does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def build_web_client() -> Path:
    """The client as `make run` serves it (cached: seconds when nothing changed)."""
    if shutil.which("npm") is None:
        pytest.fail("npm is missing: install Node.js 20+ with npm to build apps/web")
    build = [shutil.which("bash") or "/bin/bash", str(WEB / "build.sh")]
    subprocess.run(build, check=True, cwd=ROOT)  # noqa: S603 - our own script
    return WEB / "dist"


@dataclass(frozen=True)
class RunningPlatform:
    url: str
    data_dir: Path

    def mail_links(self, to: str, contains: str) -> list[str]:
        """Links in the mail the platform's file sink wrote to ``to``."""
        path = self.data_dir / NOTIFICATIONS_MAIL_FILE
        if not path.exists():
            return []
        links = []
        for line in path.read_text().splitlines():
            mail = json.loads(line)
            if mail["to"] != to:
                continue
            links += [word.strip("\"'<>),") for word in mail["text"].split() if contains in word]
        return links


def start_platform(data_dir: Path, dist: Path) -> Iterator[RunningPlatform]:
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CMH_DATA_DIR": str(data_dir),
        "CMH_WEB_CLIENT_DIR": str(dist),
        "CMH_LOG_LEVEL": "WARNING",
    }
    log = (data_dir / "platform.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cmh.apps.platform.main"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                raise AssertionError(
                    f"the platform stopped: {(data_dir / 'platform.log').read_text()[-3000:]}"
                )
            try:
                if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the platform was not ready within 300s")
            time.sleep(0.5)
        yield RunningPlatform(url, data_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=chromium_or_fail(), headless=True, args=CHROMIUM_ARGS
    )


def browser_session() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


AXE_SCRIPT = WEB / "node_modules" / "axe-core" / "axe.min.js"


def check_page(page: Page, name: str) -> None:
    """axe-core on the page as it is now (no serious or critical violation), then a
    screenshot of it under .artifacts/browser/<name>.png."""
    page.wait_for_load_state("networkidle")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    blocking = [v for v in results if v["impact"] in BLOCKING]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert not blocking, f"{name}: accessibility violations {json.dumps(blocking, indent=1)}"


def mail_link(platform: RunningPlatform, to: str, contains: str) -> str:
    """The first such link mailed to ``to``: mail leaves through the outbox, so poll."""
    deadline = time.monotonic() + 30
    while not (links := platform.mail_links(to, contains)):
        assert time.monotonic() < deadline, f"no mail to {to} with {contains}"
        time.sleep(0.2)
    return links[0]


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_up_verified(page: Page, platform: RunningPlatform, email: str, name: str) -> None:
    """A new learner through the pages: signs up, opens the mailed link, signs in."""
    page.goto(f"{platform.url}/signup")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 10 characters)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    page.goto(mail_link(platform, email, "/verify-email#token="))
    expect(page.get_by_text("Your email address is verified.")).to_be_visible()
    sign_in(page, platform.url, email, NEW_PASSWORD)
