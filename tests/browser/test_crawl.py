"""Every demo user of every post, in Chinese, opens every menu entry, the first record of every
list or board and the links on that record (no button that changes anything is pressed).

Each user's walk fetches the pages in that user's browser context (their session: statuses and
links are theirs); each distinct page is also rendered once in chromium and measured at 1366×768
and at 390×844 (``document.documentElement.scrollWidth``) and read for English left in its
visible text. The demo's users of each post log in with one password, no two share a name, and
the admin sees every application.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import TIMEOUT, log_in, serving
from tests.conftest import PG_URL

DEMO_ADDONS = ["sales", "crm", "stock", "accounting"]
PASSWORD = "demo12345"
DESKTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
LINKS_PER_RECORD = 6
RECORD = re.compile(r"^/web/[a-z_.]+/\d+$")
HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"]*)"')
#: a run of Latin words (3 letters or more, not codes such as SO2026-00001, KY-OX05 or CNY)
WORD = re.compile(r"(?<![\w@./-])[A-Za-z][a-z]{2,}(?:[ -][A-Za-z][a-z]+)*(?![\w@/-])")
#: Latin words that are names, not untranslated text
ALLOWED = {"Kangyi"}
#: the visible text but codes (logins, model names, domains: marked translate="no", HTML's
#: mark of text not to translate)
HUMAN_TEXT = """() => {
  const codes = [...document.querySelectorAll('[translate=no]')];
  codes.forEach(e => { e.dataset.display = e.style.display; e.style.display = 'none'; });
  const text = document.body.innerText;
  codes.forEach(e => { e.style.display = e.dataset.display; });
  return text;
}"""


def _section(page_html: str, start: str, end: str) -> str:
    at = page_html.find(start)
    return page_html[at:page_html.find(end, at)] if at >= 0 else ""


def _links(fragment: str) -> list[str]:
    found = (html.unescape(h) for h in HREF.findall(fragment))
    return [h for h in dict.fromkeys(found) if not h.startswith(("/web/static", "/web/logout"))]


class Walk:
    """The pages of the demo, walked by each user in turn."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser, self.base_url = browser, base_url
        self.statuses: list[str] = []
        self.widths: list[str] = []
        self.english: list[str] = []
        self.rendered: set[str] = set()
        self.fetched = 0
        self.apps: dict[str, list[str]] = {}

    def user(self, login: str, password: str) -> None:
        context = self.browser.new_context(viewport=DESKTOP, base_url=self.base_url,
                                           locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        try:
            log_in(page, login, password)
            self.apps[login] = page.eval_on_selector_all(
                "nav.apps-nav a", "els => els.map(e => e.innerText.trim())")
            _UserWalk(self, context, page, login).run()
        finally:
            context.close()

    def render(self, page: Any, href: str) -> None:
        """Measure and read a page once, whoever reached it first."""
        path = urlsplit(href).path
        if path in self.rendered:
            return
        self.rendered.add(path)
        page.goto(href)
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                self.widths.append(f"{href} is {width} px wide at {size['width']}")
        page.set_viewport_size(DESKTOP)
        text = page.evaluate(HUMAN_TEXT)
        english = sorted({w for w in WORD.findall(text) if w not in ALLOWED})
        if english:
            self.english.append(f"{href}: {english[:8]}")


class _UserWalk:
    def __init__(self, walk: Walk, context: Any, page: Any, login: str) -> None:
        self.walk, self.context, self.page, self.login = walk, context, page, login
        self.seen: set[str] = set()

    def visit(self, href: str) -> str | None:
        """The page's HTML as this user gets it (None: seen already, or an error)."""
        path = urlsplit(href).path
        if path in self.seen:
            return None
        self.seen.add(path)
        response = self.context.request.get(href)
        self.walk.fetched += 1
        if response.status >= 400:
            self.walk.statuses.append(f"{self.login}: {href} answers {response.status}")
            return None
        self.walk.render(self.page, href)
        return response.text()

    def record(self, list_html: str) -> None:
        """The first record of a list or board, and the links on that record."""
        main = _section(list_html, '<main id="content"', "</main>")
        first = [h for h in _links(main) if RECORD.match(urlsplit(h).path)]
        record_html = self.visit(first[0]) if first else None
        if record_html:
            main = _section(record_html, '<main id="content"', "</main>")
            for link in _links(main)[:LINKS_PER_RECORD]:
                self.visit(link)

    def run(self) -> None:
        home = self.visit("/") or ""
        for app in _links(_section(home, '<nav class="apps-nav"', "</nav>")):
            app_html = self.visit(app)
            if not app_html:
                continue
            self.record(app_html)
            for entry in _links(_section(app_html, '<nav class="sidemenu"', "</nav>")):
                entry_html = self.visit(entry)
                if entry_html:
                    self.record(entry_html)


@pytest.fixture(scope="module")
def walk(browser: Any, tmp_path_factory: Any) -> Iterator[tuple[Walk, list[dict[str, Any]]]]:
    """The demo of sales, CRM, stock and accounting (every user in Chinese), walked by all."""
    from core.app import create_app
    from core.testing import reset_postgres
    from core.users import ensure_admin

    folder = tmp_path_factory.mktemp("crawl")
    if PG_URL:
        reset_postgres(PG_URL)
    app = create_app({"DATABASE_URL": PG_URL or f"sqlite:///{Path(folder) / 'demo.db'}",
                      "INSTANCE_PATH": str(Path(folder) / "instance"), "SECRET_KEY": "test",
                      "ADDONS_PATH": [], "TESTING": True})  # the shipped addons only
    runtime = app.extensions["kangyi"]
    try:
        runtime.manager.init_database()
        with runtime.env() as env:
            ensure_admin(env, "admin1234", "zh_CN")
        runtime.manager.install(DEMO_ADDONS, demo=True)
        with runtime.env() as env:
            users = env["res.users"].search_read([("login", "!=", "__system__")],
                                                 ["login", "name", "lang"])
        result = Walk(browser, "")
        with serving(app) as base_url:
            result.base_url = base_url
            for user in users:
                result.user(user["login"], "admin1234" if user["login"] == "admin" else
                            PASSWORD)
        yield result, users
    finally:
        runtime.engine.dispose()


def test_demo_users_of_every_post_and_the_admin_sees_every_app(walk):
    result, users = walk
    names = sorted(u["name"] for u in users)
    assert len(names) == len(set(names)), f"two demo users share a name: {names}"
    assert {u["lang"] for u in users} == {"zh_CN"}
    logins = {u["login"] for u in users}
    assert {"wangfang", "liqiang", "keeper.liu", "inspector.zhou", "zhengli", "wugang",
            "fengmin", "li.na", "zhao.min", "chen.jie", "zhangwei"} <= logins
    assert set(result.apps) == logins  # each logged in with the one demo password
    assert {"销售", "客户关系", "仓库管理", "财务会计", "产品"} <= set(result.apps["admin"])
    assert "客户关系" in result.apps["zhao.min"] and "客户关系" in result.apps["li.na"]


def test_every_page_of_every_post_opens(walk):
    result, _users = walk
    assert result.fetched > 300 and len(result.rendered) > 100
    assert not result.statuses, "\n".join(result.statuses[:40])


def test_no_page_is_wider_than_the_window(walk):
    result, _users = walk
    assert not result.widths, f"{len(result.widths)} pages:\n" + "\n".join(result.widths[:40])


def test_no_english_is_left_on_any_page(walk):
    result, _users = walk
    assert not result.english, f"{len(result.english)} pages:\n" + "\n".join(
        result.english[:40])
