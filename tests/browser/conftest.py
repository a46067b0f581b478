"""Shared browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Use ``regions`` (a transactional database with the region table filled), ``page`` (a fresh context at
1366x768, Indonesian) and ``log_in(page, live_server, username, password)``; ``open_context(viewport, lang)``
gives further contexts (phone size, English).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}  # issue 13: every page fits 390 px
SCREENS = Path("test-artifacts/screens")

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are
# still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_context(browser):
    """Make browser contexts (a viewport and a language each); all are closed after the test."""
    contexts = []

    def make(viewport: dict | None = None, lang: str = "id"):
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            locale="id-ID" if lang == "id" else "en-GB",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_context):
    return open_context().new_page()


def log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")


def switch_language(page, lang: str) -> None:
    """Press the header's ID / EN switch, as a user would."""
    with page.expect_navigation():
        page.click(f".lang button[value='{lang}']")


# Every rupiah amount the browser laid out across more than one line ("Rp 27.851.9" / "85"), by text node.
BROKEN_MONEY = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!/^-?Rp\\s?[\\d.,]+$/.test(text)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size > 1) broken.push(text);
  }
  return broken;
}"""


def layout_faults(page) -> list[str]:
    """What a narrow screen must never show: the page wider than the screen, an amount cut in two."""
    faults = []
    if page.evaluate("document.documentElement.scrollWidth") > page.viewport_size["width"]:
        faults.append("wider than the screen")
    if broken := page.evaluate(BROKEN_MONEY):
        faults.append(f"amounts across lines {broken[:3]}")
    return faults


def screenshot(page, name: str) -> Path:
    """The whole page; on a phone also what the first screen shows (``-fold``), as a user first sees it."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if page.viewport_size["width"] < DESKTOP["width"]:
        page.screenshot(path=str(SCREENS / f"{name}-fold.png"))
    return path
