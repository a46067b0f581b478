"""Every page of every role: a crawl from the home page that follows every link each role is shown.

Each role (national admin without and with a chosen kab/kota, region admin, operator, operator limited to
one unit, verifier, finance, viewer, province monitor) logs in and follows every same-site link of every
page it reaches, in Indonesian and in English. A link that answers 4xx/5xx fails: no button or link may lead
to a dead end (issue 13). The URL patterns come from the resolver: a pattern no role reaches by a link or
as a form's action fails too, so a new page is crawled as soon as something links to it. Each page is also
held to the screen conventions (decision 0018): no ISO date in its text, no browser date or month picker,
no label ending in a colon, no file hash.

The world is tests.accounts.routes' (two tenants; TTU with an agreement, a bill, a registration batch, a
committed import with an error file, a duplicate pair and a reconciliation with a finding) plus an import
preview and one user per role, so every detail page has an object.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from payung.accounts.models import Role, User
from payung.registry import importer
from payung.registry.nik import compose
from payung.web.acting import SESSION_KEY
from tests.accounts.routes import UNIT_OPERATOR, build_world

pytestmark = pytest.mark.django_db

PER_PATTERN = 3  # pages visited per URL pattern and query: objects in different states show different forms
SKIPPED_NAMESPACES = {"api"}  # the API has its own proofs (tests/api, tests/accounts)
ISO_DATE = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b")
COLON_LABEL = re.compile(r"<label[^>]*>[^<]*:\s*</label>")


class Page(HTMLParser):
    """The links, form actions (with their method) and visible text of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        elif tag == "form":
            self.forms.append(((found.get("method") or "get").lower(), found.get("action") or ""))
        elif tag in ("script", "style", "title", "option", "textarea"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title", "option", "textarea"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def web_names(patterns=None, prefix="") -> set[str]:
    """Every named URL pattern of the site outside the API."""
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace not in SKIPPED_NAMESPACES:
                names |= web_names(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(entry.name)
    return names


def name_of(path: str) -> str | None:
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


def same_site(base: str, href: str) -> str | None:
    """A link's path and query on this site (None for other sites, fragments, the API)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#"):
        return None
    path = parts.path if parts.path.startswith("/") else base.rsplit("/", 1)[0] + "/" + parts.path
    if path.startswith(("/api/", "/static/")):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(browser: Client, who: str, world_hash: str) -> tuple[set[str], list[str]]:
    """Follow every link ``browser``'s user is shown; the URL names reached (pages and form actions) and
    the problems found."""
    reached: set[str] = set()
    problems: list[str] = []
    queue, seen, per = deque(["/"]), set(), Counter()
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        key = (name_of(parts.path), tuple(sorted(k.split("=")[0] for k in parts.query.split("&") if k)))
        if url in seen or per[key] >= PER_PATTERN:
            continue
        seen.add(url)
        per[key] += 1
        response = browser.get(url)
        where = f"{who} {url}"
        if response.status_code >= 400:
            problems.append(f"{where}: HTTP {response.status_code}")
            continue
        reached.add(key[0])
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            # A download: answering is what counts. Read it through the client's closing wrapper; calling
            # close() ourselves fires request_finished, whose close_old_connections closes PostgreSQL's
            # connection in the middle of the test's transaction.
            if response.streaming:
                b"".join(response.streaming_content)
            continue
        html = response.content.decode()
        page = Page()
        page.feed(html)
        problems += [f"{where}: {fault}" for fault in faults(html, " ".join(page.text), world_hash)]
        for href in page.links:
            if (target := same_site(parts.path, href)) is not None:
                queue.append(target)
        for method, action in page.forms:
            target = same_site(parts.path, action) if action else parts.path
            if target is not None and method == "post":
                reached.add(name_of(urlsplit(target).path))
    return reached, problems


def faults(html: str, text: str, world_hash: str) -> list[str]:
    """What breaks the screen conventions of decision 0018 on one page."""
    found = []
    if match := ISO_DATE.search(text):
        found.append(f"ISO date {match.group(0)!r} in the text (use |tanggal)")
    if re.search(r'<input[^>]+type="(date|month)"', html):
        found.append("a browser date picker (use forms.date_field / MonthField)")
    if match := COLON_LABEL.search(html):
        found.append(f"a label ending in a colon: {match.group(0)}")
    if world_hash in html or re.search(r"\bhash\b", text, re.I):
        found.append("a file hash shown")
    return found


ROLES = {  # username -> (role, region, superuser)
    "root": (Role.ADMIN, None, True),
    "ttu_admin": (Role.ADMIN, "5303", False),
    "ttu_verifier": (Role.VERIFIER, "5303", False),
    "ttu_viewer": (Role.VIEWER, "5303", False),
}


@pytest.fixture
def everyone(db, tmp_path, settings):
    """The routes world, an import preview to commit, and the users of every role."""
    settings.MEDIA_ROOT = tmp_path / "files"
    world = build_world(tmp_path)
    roster = tmp_path / "daftar-baru.csv"
    born = dt.date(1991, 2, 3)
    roster.write_text(
        f"NIK,Nama,Tanggal Lahir,Jenis Kelamin\n{compose('530301', born, 'L', 77)},Paulus Kefi,03/02/1991,L\n"
        "123,Salah NIK,01/01/1980,L\n"
        f"{compose('530301', born, 'L', 78)},Tanggal Lain,04/02/1991,L\n"  # a date in the reason: its style
    )
    importer.preview(roster, filename=roster.name, region=world.ttu.region, unit=world.ttu.unit,
                     user=world.users["ttu"], lang="id")  # fmt: skip
    for name, (role, region, superuser) in ROLES.items():
        world.users[name] = User.objects.create_user(
            name, role=role, region_id=region, is_superuser=superuser, is_staff=superuser
        )
    return world


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_link_of_every_role_answers_and_every_page_is_reached(everyone, lang):
    world = everyone
    reached, problems = set(), []
    for who in ["root", "root+ttu", "ttu_admin", "ttu", UNIT_OPERATOR, "ttu_verifier", "ttu_finance",
                "ttu_viewer", "province"]:  # fmt: skip
        browser = Client()
        browser.force_login(world.users[who.split("+")[0]])
        if who == "root+ttu":  # the national admin after choosing TTU as the region to work in
            session = browser.session
            session[SESSION_KEY] = "5303"
            session.save()
        browser.post("/i18n/setlang/", {"language": lang})
        found, wrong = crawl(browser, who, world.ttu.batch.sha256[:12])
        reached |= found
        problems += wrong
    anonymous = Client()
    assert anonymous.get("/masuk/").status_code == 200
    reached |= {"login", "set_language"}  # the login page above; the language switch is on every page
    assert not problems, "\n".join(problems)
    assert web_names() - reached == set(), "pages no role reaches by a link or a form"
