"""Browser tests: Playwright driving Debian's chromium against a real server in a thread.

The server is werkzeug's, on 127.0.0.1 with a free port, serving an app on the test database.
Screenshots go to ``tests/screenshots/`` (ignored by git).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.serving import serving as serving_on_port
from tests.web_helpers import make_user

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "screenshots"
#: how long a click, a fill or an ``expect`` waits (ms). Generous: CI runs the SQLite and the
#: PostgreSQL suites side by side on two cores, two browsers included; a missing element still
#: fails, only later. ``KANGYI_BROWSER_TIMEOUT`` overrides it.
TIMEOUT = int(os.environ.get("KANGYI_BROWSER_TIMEOUT", "60000"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (bin/test installs it with apt-get)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(make_app: Any) -> Iterator[str]:
    """The base URL of a running app with kt_web, users ann (order user), max (manager)."""
    app = make_app()
    app.extensions["kangyi"].manager.install(["kt_web"])
    make_user(app, "ann", ["kt_web.group_user"])
    make_user(app, "max", ["kt_web.group_manager"])
    with app.extensions["kangyi"].env() as env:
        env["res.partner"].create([{"name": "Acme Trading", "city": "Hangzhou"},
                                   {"name": "Beta Supplies", "city": "Ningbo"}])
    with serving(app) as base_url:
        yield base_url


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port) in a thread; its base URL."""
    with serving_on_port(app) as port:
        yield f"http://127.0.0.1:{port}"


def open_page(browser: Any, base_url: str, locale: str = "en-US", height: int = 900,
              timeout: int = TIMEOUT) -> tuple[Any, Any]:
    """A new browser context (1366 px wide) and its page; close the context when done."""
    context = browser.new_context(viewport={"width": 1366, "height": height},
                                  base_url=base_url, locale=locale)
    page = context.new_page()
    page.set_default_timeout(timeout)
    return context, page


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context, page = open_page(browser, live_server, height=768)
    yield page
    context.close()


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot as tests/screenshots/<name>.png."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page: Any, login: str, password: str = "password123") -> None:
    """Log in through the login form, in whatever language it is shown."""
    page.goto("/web/login")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")  # keyboard only
    page.wait_for_url("**/")


def logged_in(browser: Any, base_url: str, login: str, timeout: int = TIMEOUT
              ) -> tuple[Any, Any]:
    """A new context and page, logged in as ``login`` (browser in English; the users' own
    language decides the pages')."""
    context, page = open_page(browser, base_url, timeout=timeout)
    log_in(page, login)
    return context, page


class Post:
    """One post's session: logs in at the login page, then only clicks."""

    def __init__(self, browser: Any, base_url: str, login: str, size: dict[str, int],
                 password: str = "password123", **options: Any) -> None:
        """``options`` go to the browser context (``is_mobile``, ``has_touch``, ``locale``)."""
        options.setdefault("locale", "zh-CN")
        self.context = browser.new_context(viewport=size, base_url=base_url, **options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        log_in(self.page, login, password)

    def __enter__(self) -> Post:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.context.close()

    def menu(self, app: str, entry: str) -> None:
        """The application in the top bar, then the entry of its side menu."""
        self.page.locator("nav.apps-nav").get_by_role("link", name=app, exact=True).click()
        self.page.wait_for_load_state("load")  # the page's script folds the menu on phones
        link = self.page.locator("nav.sidemenu").get_by_role("link", name=entry, exact=True)
        if not link.is_visible():  # a phone folds the side menu under the application's name
            self.page.locator("nav.sidemenu summary").click()
        link.click()

    def open(self, text: str) -> None:
        """The record whose link shows ``text`` in the list."""
        self.page.locator("main").get_by_role("link", name=text).first.click()

    def open_first(self) -> None:
        """The first record of the list."""
        self.page.locator("main table tbody tr a").first.click()

    def button(self, label: str) -> None:
        """A header button (a model method or a workflow transition), with no error after."""
        self.page.locator(".page-head").get_by_role("button", name=label, exact=True).click()
        self.ok()

    def related(self, label: str) -> None:
        """The form's smart button of ``label`` (its related documents)."""
        self.page.locator("nav.smart-buttons a", has_text=label).click()

    def approve(self, name: str) -> None:
        """Approve the request of the record ``name`` from the approvals inbox (待我审批)."""
        self.menu("待办", "待我审批")
        self.page.locator("table.approvals tbody tr", has_text=name).get_by_role(
            "button", name="批准").click()
        self.ok()

    def transition(self, name: str) -> None:
        self.page.locator(f"button[data-transition='{name}']").click()
        self.ok()

    def ok(self) -> None:
        from playwright.sync_api import expect

        expect(self.page.locator(".flash-error")).to_have_count(0)

    def choose(self, field: str, text: str, option: str) -> None:
        """Type into the many2one or many2many input of ``field`` (its name) and pick the
        option offered."""
        pick(self.page, self.page.locator(f"#{field}"), text, option)


def pick(page: Any, combobox: Any, text: str, option: str) -> None:
    """Type ``text`` into a many2one or many2many combobox (its label, or a locator) and choose
    the option ``option`` among its results."""
    box = page.get_by_label(combobox, exact=True) if isinstance(combobox, str) else combobox
    box.fill(text)
    page.get_by_role("option", name=option).first.click()


def record_name(runtime: Any, model: str, domain: list[Any]) -> str:
    """The name of the first record of ``model`` matching ``domain`` (to find it in lists)."""
    with runtime.env() as env:
        return env[model].search_read(domain, ["name"], limit=1)[0]["name"]
