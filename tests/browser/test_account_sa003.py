"""SA-003 steps 4-7 in a real browser, in Chinese, each step by its post: the sales assistant
sends the invoicing notice, the invoicing clerk (开票员) posts the invoice, the cost accountant
(材料成本会计) matches (钩稽) the shipment and books the month-end cost of sales, then follows a
figure of the trial balance down to its journal items, and the receivables accountant (往来会计)
records the receipt and writes it off (核销) against the invoice."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in, serving, shot
from tests.web_helpers import make_user

D = Decimal


@pytest.fixture
def books_server(make_app: Any) -> Iterator[tuple[str, Any, dict[str, int]]]:
    """Sales, stock and accounting; the order approved and its goods in transit (steps 1-3)."""
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["sales", "stock", "accounting"])
    ids = {
        "assistant": make_user(app, "wangfang", ["sales.group_assistant"], lang="zh_CN"),
        "manager": make_user(app, "liqiang", ["sales.group_manager"], lang="zh_CN"),
        "keeper": make_user(app, "keeper", ["stock.group_keeper"], lang="zh_CN"),
        "inspector": make_user(app, "inspector", ["stock.group_inspector"], lang="zh_CN"),
        "clerk": make_user(app, "zhaomin", ["accounting.group_invoicing"], lang="zh_CN"),
        "cost": make_user(app, "chenjing", ["accounting.group_cost"], lang="zh_CN"),
        "ar": make_user(app, "liuyang", ["accounting.group_receivable"], lang="zh_CN"),
    }
    with runtime.env() as env:
        ids["customer"] = env["res.partner"].create({"name": "杭州仁和大药房连锁有限公司",
                                                     "is_company": True})
        ids["product"] = env["product.product"].create({
            "name": "家用制氧机", "default_code": "KY-OX05", "list_price": D("3680"),
            "standard_price": D("2150"), "type": "product"})
        receipt = env["stock.picking"].create({
            "picking_type_id": env["stock.picking.type"].search(
                [("code", "=", "incoming"), ("warehouse_id.code", "=", "WH")])[0],
            "move_ids": [(0, 0, {"product_id": ids["product"], "product_uom_qty": 10,
                                 "price_unit": D("2150")})]})
        env["stock.picking"].call("button_validate", [receipt])
    with runtime.env(uid=ids["assistant"], su=False) as env:
        ids["order"] = env["sale.order"].create({
            "partner_id": ids["customer"],
            "order_line": [(0, 0, {"product_id": ids["product"], "product_uom_qty": 4})]})
        env["sale.order"].call("action_submit", [ids["order"]])
    with runtime.env(uid=ids["manager"], su=False) as env:
        env["sale.order"].call("workflow_approve", [ids["order"]])
    with runtime.env(uid=ids["assistant"], su=False) as env:
        notice = env["sale.order"].call("action_create_delivery_notice", [ids["order"]])
        env["sale.delivery.notice"].call("action_approve", [notice])
    with runtime.env() as env:
        picking = env["stock.picking"].search([("delivery_notice_id", "=", notice)])[0]
    with runtime.env(uid=ids["keeper"], su=False) as env:
        env["stock.picking"].call("action_first_approval", [picking])
    with runtime.env(uid=ids["inspector"], su=False) as env:
        env["stock.picking"].call("action_second_approval", [picking])
    with serving(app) as base_url:
        yield base_url, runtime, ids


def _button(page: Any, method: str) -> None:
    """Click a form header button (it posts to ``…/call/<method>``) and expect no error."""
    page.locator(f"form[action$='/call/{method}'] button").click()
    expect(page.locator(".flash-error")).to_have_count(0)


def _choose(page: Any, field: str, text: str, option: str) -> None:
    """Type into the many2one or many2many input of ``field`` and pick the option offered."""
    page.locator(f"#{field}").fill(text)
    page.get_by_role("option", name=option).first.click()


def test_sa003_steps_4_to_7_by_four_posts(browser, books_server):
    base_url, runtime, ids = books_server
    # step 4: the sales assistant prepares the invoicing notice and sends it to finance
    context, page = logged_in(browser, base_url, "wangfang", timeout=15_000)
    try:
        page.goto(f"/web/sale.order/{ids['order']}")
        page.get_by_role("button", name="创建开票通知单").click()
        with runtime.env() as env:
            notice = env["sale.invoice.notice"].search([("order_id", "=", ids["order"])])[0]
        page.goto(f"/web/sale.invoice.notice/{notice}")
        page.locator("button[data-transition='review']").click()
        page.locator("button[data-transition='send']").click()
        expect(page.get_by_text("account.move,").first).to_be_visible()
    finally:
        context.close()
    with runtime.env() as env:
        ref = env["sale.invoice.notice"].read([notice], ["invoice_ref"])[0]["invoice_ref"]
    invoice = int(ref.split(",")[1])

    # step 5: the invoicing clerk issues the invoice (记账)
    context, page = logged_in(browser, base_url, "zhaomin", timeout=15_000)
    try:
        page.goto(f"/web/account.move/{invoice}")
        expect(page.get_by_text("草稿").first).to_be_visible()
        _button(page, "action_post")
        expect(page.get_by_text("已记账").first).to_be_visible()
        expect(page.get_by_role("heading").first).to_contain_text(
            re.compile(r"SAL.\d{4}.\d{2}.0001"))
        shot(page, "sa003-invoice-posted")
    finally:
        context.close()
    with runtime.env() as env:
        number = env["account.move"].read([invoice], ["name"])[0]["name"]
        assert env["sale.invoice.notice"].read([notice], ["state", "invoice_number"])[0] == {
            "id": notice, "state": "invoiced", "invoice_number": number}

    # step 6: the cost accountant matches the shipment, books the cost of sales, checks it
    context, page = logged_in(browser, base_url, "chenjing", timeout=15_000)
    try:
        page.goto(f"/web/account.move/{invoice}")
        _button(page, "action_match_shipments")
        page.goto("/web/account.cost.match")
        expect(page.get_by_text(number).first).to_be_visible()
        today = dt.date.today()
        with runtime.env() as env:
            period = env["account.period"].search([("date_from", "<=", today),
                                                   ("date_to", ">=", today)])[0]
        page.goto(f"/web/account.period/{period}")
        _button(page, "action_book_cost_of_sales")
        last = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(
            days=1)
        page.goto(f"/web/page/accounting/trial-balance?date_from={today.replace(day=1)}"
                  f"&date_to={last}")
        row = page.locator("tr", has_text="6401 主营业务成本")
        expect(row).to_contain_text("8,600.00")
        shot(page, "sa003-trial-balance")
        row.get_by_role("link", name="8,600.00").click()  # drill down to the items
        expect(page.get_by_text("STJ/").first).to_be_visible()
        expect(page.get_by_text("8,600.00").first).to_be_visible()
    finally:
        context.close()

    # step 7: the receivables accountant records the receipt and writes it off (核销)
    context, page = logged_in(browser, base_url, "liuyang", timeout=15_000)
    try:
        page.goto("/web/account.payment/new")
        _choose(page, "partner_id", "杭州仁和", "杭州仁和大药房连锁有限公司")
        page.locator("#amount").fill("16633.60")
        _choose(page, "journal_id", "银行", "银行日记账")
        _choose(page, "invoice_ids", number[:8], number)
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        _button(page, "action_post")
        expect(page.get_by_text("已记账").first).to_be_visible()
        page.goto(f"/web/account.move/{invoice}")
        expect(page.get_by_text("已付清").first).to_be_visible()
        page.goto("/web/page/accounting/aging")
        expect(page.get_by_text("本期间没有已记账的分录。")).to_be_visible()
        shot(page, "sa003-written-off")
    finally:
        context.close()
    with runtime.env() as env:
        row = env["account.move"].read([invoice], ["payment_state", "amount_residual",
                                                   "amount_total"])[0]
        assert row["amount_total"] == D("16633.60")  # 4 × 3 680 + 13 % VAT
        assert row["payment_state"] == "paid" and row["amount_residual"] == 0
