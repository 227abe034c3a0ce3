"""A manager approves and rejects documents from the approvals inbox in a real browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from core import workflow_engine as engine
from tests.browser.conftest import log_in, open_page, serving, shot
from tests.web_helpers import make_user


@pytest.fixture
def approval_server(make_app: Any) -> Iterator[tuple[str, Any, list[int]]]:
    """A live app with kt_approval: two orders of ``clerk`` waiting for ``manager``."""
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_approval"])
    clerk = make_user(app, "clerk", ["kt_approval.group_clerk"])
    make_user(app, "manager", ["kt_approval.group_manager"])
    with runtime.env(uid=clerk, su=False) as env:
        ids = [env["kt.order"].create({"amount_total": amount}) for amount in (1200, 800)]
        for oid in ids:
            engine.take_transition(env, "kt.order", oid, "submit")
    with serving(app) as base_url:
        yield base_url, runtime, ids


def _states(runtime: Any, ids: list[int]) -> list[str]:
    with runtime.env() as env:
        return [r["state"] for r in env["kt.order"].read(ids, ["state"])]


def _inbox(page: Any) -> None:
    """The approvals link of the top bar."""
    page.locator("header.topbar a.approvals-counter").click()
    expect(page.get_by_role("heading", name="Waiting for my approval")).to_be_visible()


def test_manager_approves_and_rejects_from_the_inbox(browser, approval_server):
    base_url, runtime, (first, second) = approval_server
    context, page = open_page(browser, base_url, height=768)
    try:
        log_in(page, "manager", "password123")
        _inbox(page)
        rows = page.locator("table.approvals tbody tr")
        expect(rows).to_have_count(2)
        expect(page.locator("[data-approvals-count]")).to_have_text("2")
        shot(page, "approvals-inbox")

        newest = rows.first  # the second order was submitted last
        newest.get_by_role("textbox", name="Reason").fill("")
        newest.get_by_role("button", name="Reject").click()  # refused by the browser: required
        expect(rows).to_have_count(2)
        newest.get_by_role("textbox", name="Reason").fill("客户信息有误")
        newest.get_by_role("button", name="Reject").click()
        expect(rows).to_have_count(1)

        rows.first.get_by_role("textbox", name="Comment").fill("同意")
        rows.first.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("status")).to_be_visible()
        expect(page.locator("table.approvals")).to_have_count(0)
        expect(page.locator("[data-approvals-count]")).to_have_text("0")
        shot(page, "approvals-inbox-empty")
    finally:
        context.close()
    assert _states(runtime, [first, second]) == ["approved", "draft"]
    with runtime.env() as env:
        comments = [r["comment"] for r in env["workflow.history"].search_read(
            [("decision", "in", ["approve", "reject"])], ["comment"], order="id")]
    assert comments == ["客户信息有误", "同意"]


def test_header_buttons_submit_then_reject_with_a_reason(browser, approval_server):
    base_url, runtime, _ids = approval_server
    with runtime.env() as env:
        clerk = env["res.users"].search([("login", "=", "clerk")])[0]
    with runtime.env(uid=clerk, su=False) as env:
        oid = env["kt.order"].create({"amount_total": 300})
        name = env["kt.order"].read([oid], ["name"])[0]["name"]
    context, page = open_page(browser, base_url, height=768)
    try:
        log_in(page, "clerk", "password123")
        page.locator("nav.apps-nav").get_by_role("link", name="Orders", exact=True).click()
        page.locator("main table tbody tr", has_text=name).locator("a").first.click()
        expect(page).to_have_url(re.compile(rf"/web/kt\.order/{oid}\b"))
        header = page.locator(".page-head")
        header.get_by_role("button", name="Submit").click()
        expect(page.get_by_role("status")).to_contain_text("Sent for approval.")
        expect(header.get_by_role("button", name="Withdraw")).to_be_visible()
        expect(header.get_by_role("button", name="Submit")).to_have_count(0)
        shot(page, "form-header-submitted")
        context.clear_cookies()
        log_in(page, "manager", "password123")
        _inbox(page)
        page.locator("table.approvals").get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(re.compile(rf"/web/kt\.order/{oid}\b"))
        header = page.locator(".page-head")
        header.get_by_text("Reject", exact=True).click()  # opens the inline reason form
        header.get_by_role("textbox", name="Reason (required)").fill("价格过高")
        shot(page, "form-header-reject")
        header.get_by_role("button", name="Confirm rejection").click()
        expect(page.get_by_role("status")).to_contain_text("Rejected:")
        expect(page.locator(".page-head").get_by_role("button", name="Approve")).to_have_count(0)
    finally:
        context.close()
    assert _states(runtime, [oid]) == ["draft"]
    with runtime.env() as env:
        reasons = env["workflow.history"].search_read(
            [("res_id", "=", oid), ("decision", "=", "reject")], ["comment"])
    assert [r["comment"] for r in reasons] == ["价格过高"]
