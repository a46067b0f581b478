"""Walk every page of a running Payung as each demo user, in Chromium, and screenshot it.

    .venv/bin/python -m tests.browser.walk --url http://127.0.0.1:8000 [--users admin,kupang.operator]

Starting from the home page it follows every same-site link (GET only: no form is sent), one page per URL
pattern (``/orang/123/`` and ``/orang/456/`` are one pattern), at 1366 and 390 px wide, in Indonesian and
English. Screenshots go to test-artifacts/walk/<user>/<lang>-<width>-<pattern>.png; a page that answers
4xx/5xx, widens the page past the screen, or cuts a rupiah amount across lines is listed at the end. It is
a tool for looking at the screens (docs/decisions/0018); the suite's own proof is tests/web/test_every_page.
"""

from __future__ import annotations

import argparse
import os
import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import django

from tests.browser.conftest import ARGS, CHROMIUM, layout_faults

WIDTHS = {"desktop": 1366, "phone": 390}
SKIP = re.compile(r"/keluar/|\.xlsx$|\.pdf$|/berkas-galat/|/api/")
OUT = Path("test-artifacts/walk")


def pattern(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "{id}", parts.path) + (f"?{parts.query.split('=')[0]}" if parts.query else "")


def walk(base: str, username: str, password: str, browser, problems: list[str]) -> None:
    for lang in ("id", "en"):
        for size, width in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
            page = context.new_page()
            page.goto(f"{base}/masuk/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button.primary")
            page.wait_for_url(f"{base}/")
            if lang == "en":
                with page.expect_navigation():
                    page.click(".lang button[value='en']")
            seen: set[str] = set()
            queue = deque([f"{base}/"])
            folder = OUT / username
            folder.mkdir(parents=True, exist_ok=True)
            while queue:
                url = queue.popleft()
                key = pattern(url)
                if key in seen:
                    continue
                seen.add(key)
                response = page.goto(url)
                where = f"{username} {lang} {size} {url}"
                if response is None or response.status >= 400:
                    problems.append(f"{where}: HTTP {response.status if response else '?'}")
                    continue
                problems += [f"{where}: {fault}" for fault in layout_faults(page)]
                name = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "home"
                page.screenshot(path=str(folder / f"{lang}-{size}-{name}.png"), full_page=True)
                if size == "phone" and name == "home":  # the phone menu, opened
                    page.click(".phone-nav summary")
                    page.screenshot(path=str(folder / f"{lang}-{size}-menu.png"))
                links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
                for href in links:
                    target = urljoin(url, href).split("#")[0]
                    if target.startswith(base) and not SKIP.search(target):
                        queue.append(target)
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", default="", help="comma-separated; default every demo user")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
    django.setup()
    from playwright.sync_api import sync_playwright

    from payung.demo.users import DEMO_USERS

    wanted = set(args.users.split(",")) if args.users else {u.username for u in DEMO_USERS}
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for user in DEMO_USERS:
            if user.username in wanted:
                walk(args.url.rstrip("/"), user.username, user.password, browser, problems)
        browser.close()
    print("\n".join(problems) or "every page answered and fitted")


if __name__ == "__main__":
    main()
