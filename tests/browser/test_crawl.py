"""Every demo user of every post, in Chinese, opens every menu entry, the first record of every
list or board and the links on that record (no button that changes anything is pressed).

Each user logs in at the login page, then reaches every page by clicking a link of the page it
was found on: an application in the top bar, an entry of its side menu (after clicking the
application again when the page shown has not that menu), a list's first record, a link on that
record (the browser's back button returns to the record). Every page opened must answer without
an error; each distinct page is measured once at 1366×768 and at 390×844
(``document.documentElement.scrollWidth``) and read for English left in its visible text. A
second user of the same groups only logs in (same menus, rights and rules). The demo's users of
each post log in with one password, no two share a name, and the admin sees every application.
"""

from __future__ import annotations

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
REGIONS = MAIN, SIDEMENU, APPS = "main#content", "nav.sidemenu", "nav.apps-nav"
#: the targets of the links a user sees (not those folded away), opening in the same tab
VISIBLE_LINKS = """regions => Object.fromEntries(regions.map(region => [region,
  [...document.querySelectorAll(region + ' a[href]')]
    .filter(a => a.getClientRects().length && !a.target && !a.hasAttribute('download'))
    .map(a => a.getAttribute('href'))]))"""
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


def _path(href: str) -> str:
    return urlsplit(href).path


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

    def user(self, login: str, password: str, walk: bool = True) -> None:
        """Log ``login`` in and read their applications; walk their pages unless ``walk`` is
        false."""
        context = self.browser.new_context(viewport=DESKTOP, base_url=self.base_url,
                                           locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        try:
            log_in(page, login, password)
            self.apps[login] = page.eval_on_selector_all(
                "nav.apps-nav a", "els => els.map(e => e.innerText.trim())")
            if walk:
                _UserWalk(self, page, login).run()
        finally:
            context.close()

    def render(self, page: Any) -> None:
        """Measure and read the page shown, once, whoever reached it first."""
        path = _path(page.url)
        if path in self.rendered:
            return
        self.rendered.add(path)
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                self.widths.append(f"{path} is {width} px wide at {size['width']}")
        text = page.evaluate(HUMAN_TEXT)
        english = sorted({w for w in WORD.findall(text) if w not in ALLOWED})
        if english:
            self.english.append(f"{path}: {english[:8]}")


class _UserWalk:
    """One user's walk: every page is reached by clicking a link of the page it was found on."""

    def __init__(self, walk: Walk, page: Any, login: str) -> None:
        self.walk, self.page, self.login = walk, page, login
        self.seen: set[str] = set()
        #: the links of each page shown, by region (a page shown again is the same page)
        self.shown: dict[str, dict[str, list[str]]] = {}

    def links(self, region: str) -> list[str]:
        """The targets of the links the user sees in ``region`` of the page shown."""
        shown = self.shown.get(self.page.url)
        if shown is None:  # read once per page: the menus and the content
            shown = self.shown[self.page.url] = self.page.evaluate(VISIBLE_LINKS, REGIONS)
        return [h for h in dict.fromkeys(shown[region])
                if h.startswith("/") and not h.startswith(("/web/static", "/web/logout"))]

    def follow(self, region: str, href: str) -> bool:
        """Click the link to ``href`` in ``region``, unless this user saw its page already;
        whether a new page opened without an error."""
        path = _path(href)
        if path in self.seen:
            return False
        self.seen.add(path)
        return self.opened(href, self.click(region, href))

    def click(self, region: str, href: str) -> Any:
        quoted = href.replace("\\", "\\\\").replace('"', '\\"')
        with self.page.expect_navigation() as navigation:
            self.page.locator(f'{region} a[href="{quoted}"]').filter(visible=True).first.click()
        return navigation.value

    def opened(self, href: str, response: Any) -> bool:
        """Count the page just opened; measure it unless it is an error page."""
        self.walk.fetched += 1
        if response is None or response.status >= 400:
            status = response.status if response else "nothing"
            self.walk.statuses.append(f"{self.login}: {href} answers {status}")
            return False
        self.walk.render(self.page)
        return True

    def record(self) -> None:
        """From a list or board: its first record, and from there the links on that record."""
        first = [h for h in self.links(MAIN) if RECORD.match(_path(h))]
        if not first or not self.follow(MAIN, first[0]):
            return
        record = self.page.url
        for link in self.links(MAIN)[:LINKS_PER_RECORD]:
            if _path(link) in self.seen:
                continue
            if self.page.url != record:
                self.page.go_back()  # the browser's back button, to the record
            self.follow(MAIN, link)

    def entry(self, app: str, href: str) -> bool:
        """An entry of ``app``'s side menu (the application again first if the page shown has
        not that menu)."""
        if _path(href) in self.seen:
            return False
        if href not in self.links(SIDEMENU):
            self.click(APPS, app)
        return self.follow(SIDEMENU, href)

    def run(self) -> None:
        self.seen.add("/")
        self.walk.render(self.page)  # the home page, where the login lands
        for app in self.links(APPS):
            if not self.follow(APPS, app):
                continue
            entries = self.links(SIDEMENU)
            self.record()
            for href in entries:
                if self.entry(app, href):
                    self.record()


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
                                                 ["login", "name", "lang", "groups_id"])
        result = Walk(browser, "")
        walked: set[tuple[int, ...]] = set()
        with serving(app) as base_url:
            result.base_url = base_url
            for user in users:
                # a second user of the same groups has the same menus, rights and rules: it
                # logs in, its pages are its colleague's
                groups = tuple(sorted(user["groups_id"]))
                result.user(user["login"], "admin1234" if user["login"] == "admin" else
                            PASSWORD, walk=groups not in walked)
                walked.add(groups)
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
