"""Every page of the demo, reached by following links from the dashboard (issue 22).

A breadth-first crawl as an anonymous reader (``CMDB_ANONYMOUS_READ``, as ``make
demo`` runs): no page answers 4xx or 5xx, no page loads a script, style sheet,
image or font from another host (the DC network may have no Internet), and a
logged-in viewer is answered exactly as the anonymous reader was.

Bounded so that it stays a test: every kind of page (a path with its ids
replaced) is visited, but only the first few of each kind and a few query-string
variants of each path.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.services.users import create_user
from tests.demo_databases import DEMO_TODAY, demo_sqlite_url
from web import create_app
from web.db import get_db

pytestmark = pytest.mark.long("a crawl of about a hundred demo pages, twice (anonymous, viewer)")

PER_KIND = 3  # pages of one kind (/links/<id>, …)
PER_PATH = 4  # query-string variants of one path (sorting, paging, filters)
MAX_PAGES = 400
#: Not pages: they act (log out, switch the language, export) or are the API's own.
SKIPPED = re.compile(r"^/(logout|language|api/|static/)|[?&]export=")
PASSWORD = "crawl the demo"


class _Refs(HTMLParser):
    """The links a page follows (``a href``) and the assets it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        elif tag in ("script", "img", "source", "iframe") and found.get("src"):
            self.assets.append(str(found["src"]))
        elif tag == "link" and found.get("href"):
            self.assets.append(str(found["href"]))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = demo_sqlite_url(tmp_path_factory.mktemp("crawl") / "demo.db", forecasts=True)
    app = create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": url, "CMDB_ANONYMOUS_READ": True,
         "CMDB_TODAY": DEMO_TODAY, "SECRET_KEY": "crawl"}
    )  # fmt: skip
    with app.app_context(), transaction(get_db().sessions) as session:
        create_user(session, "crawl-viewer", Role.VIEWER, password=PASSWORD)
    yield app
    with app.app_context():
        get_db().engine.dispose()


def _kind(path: str) -> str:
    return re.sub(r"/\d+", "/<id>", path)


def _internal(base: str, href: str) -> str | None:
    """The same-host path (and query) ``href`` leads to, or None for another host."""
    target, _ = urldefrag(urljoin(base, href))
    parts = urlsplit(target)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _is_foreign(asset: str) -> bool:
    parts = urlsplit(asset)
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def crawl(client: FlaskClient) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Status of every page reached from ``/``, and the foreign assets found (page, asset)."""
    statuses: dict[str, int] = {}
    foreign: list[tuple[str, str]] = []
    kinds: Counter[str] = Counter()
    paths: Counter[str] = Counter()
    queue = deque(["/", "/search/?q=quang+nam"])  # the search box is a form, not a link
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        answer = client.get(url)
        statuses[url] = answer.status_code
        if answer.status_code != 200 or answer.mimetype != "text/html":
            continue
        refs = _Refs()
        refs.feed(answer.get_data(as_text=True))
        foreign += [(url, a) for a in refs.assets if _is_foreign(a)]
        for href in refs.links:
            target = _internal(f"http://localhost{url}", href)
            if target is None or target in statuses or target in queue or SKIPPED.search(target):
                continue
            path = target.split("?")[0]
            if kinds[_kind(path)] >= PER_KIND and paths[path] == 0:
                continue
            if paths[path] >= PER_PATH:
                continue
            kinds[_kind(path)] += paths[path] == 0
            paths[path] += 1
            queue.append(target)
    return statuses, foreign


def test_every_page_of_the_demo_answers_and_loads_nothing_from_elsewhere(app: Flask) -> None:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    statuses, foreign = crawl(client)

    broken = {url: status for url, status in statuses.items() if status >= 400}
    assert broken == {}
    assert foreign == []
    # The crawl reached every kind of page, not just the dashboard.
    reached = {_kind(url.split("?")[0]) for url in statuses}
    assert len(statuses) > 80
    for kind in ("/links/<id>", "/devices/<id>", "/racks/<id>", "/sites/<id>", "/clusters/<id>",
                 "/requests/<id>", "/discovery/<id>", "/admin-units/<id>", "/changes/",
                 "/audit/", "/search/"):  # fmt: skip
        assert kind in reached, kind

    viewer = app.test_client()
    viewer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    form = viewer.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    data = {"username": "crawl-viewer", "password": PASSWORD, "csrf_token": token.group(1)}
    assert viewer.post("/login", data=data).status_code == 302
    pages = {url: status for url, status in statuses.items() if not url.startswith("/login")}
    as_viewer = {url: viewer.get(url).status_code for url in pages}
    assert as_viewer == pages  # anonymous read is exactly a viewer's read
