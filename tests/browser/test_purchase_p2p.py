"""Procure-to-pay in a real browser, in Chinese, by clicks, post by post, each from their own
home page: the buyer (采购员) enters and submits a purchase order, the purchase manager (采购主管)
approves it from the approvals inbox and, the order being above 50,000.00, so does the general
manager (总经理); the warehouse keeper (保管员) receives part of it, the inspector (检验员)
rejects one piece with a reason, the payables accountant (应付会计) bills what was accepted at
the supplier's higher price, the three-way match holds the bill until the purchase
manager accepts the difference with a reason (his menu of bills with differences), and the
accountant posts it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_page, serving, shot
from tests.web_helpers import make_user


@pytest.fixture
def p2p_server(make_app: Any) -> Iterator[tuple[str, Any]]:
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["purchase", "stock", "accounting"])
    for login, group in (("sunli", "purchase.group_user"), ("zhougang", "purchase.group_manager"),
                         ("keeper", "stock.group_keeper"), ("inspector", "stock.group_inspector"),
                         ("payable", "purchase_account.group_payable"),
                         ("gm", "purchase.group_general_manager")):
        make_user(app, login, [group], lang="zh_CN")
    with runtime.env() as env:
        supplier = env["res.partner"].create({"name": "江苏鱼跃医疗设备股份有限公司",
                                              "is_company": True})
        product = env["product.product"].create({"name": "制氧机", "default_code": "KY-OX05",
                                                 "list_price": "2999", "standard_price": "2150"})
        env["product.supplierinfo"].create({"partner_id": supplier, "product_id": product,
                                            "price": "2150", "delay": 15})
    with serving(app) as base_url:
        yield base_url, runtime


@pytest.fixture
def p2p_page(browser: Any, p2p_server: tuple[str, Any]) -> Iterator[Any]:
    context, page = open_page(browser, p2p_server[0], locale="zh-CN")
    yield page
    context.close()


def log_out(page: Any) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="退出").click()


def open_app(page: Any, name: str) -> None:
    page.get_by_role("navigation", name=re.compile("应用")).get_by_role("link", name=name).click()


def menu(page: Any, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).first.click()


def first_row(page: Any) -> None:
    page.locator("table.list tbody a").first.click()


def transition(page: Any, name: str) -> None:
    page.locator(f"button[data-transition={name}]").click()


def test_procure_to_pay_by_five_posts(p2p_page, p2p_server):
    page, runtime = p2p_page, p2p_server[1]
    # 1. the buyer enters the order for 30 oxygen concentrators and submits it
    log_in(page, "sunli")
    open_app(page, "采购")
    menu(page, "询价单与采购订单")
    page.get_by_role("link", name="新建").click()
    page.get_by_label("供应商", exact=True).fill("鱼跃")
    page.get_by_role("option", name="江苏鱼跃医疗设备股份有限公司").click()
    lines = page.locator("fieldset.lines").first
    lines.get_by_role("button", name="添加一行").click()
    row = lines.locator("tbody tr.line").last
    row.locator("td[data-col=product_id] input[role=combobox]").fill("制氧")
    page.get_by_role("option", name=re.compile("制氧机")).click()
    row.locator("td[data-col=product_qty] input").fill("30")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    expect(page.locator("#amount_total")).to_contain_text("72,885.00")  # 30 × 2,150 + 13 % VAT
    transition(page, "submit")
    expect(page.locator("#state")).to_contain_text("待审批")
    shot(page, "p2p-order-submitted")
    log_out(page)
    # 2. the purchase manager approves it from the approvals inbox, then the general manager
    log_in(page, "zhougang")
    page.locator(".approvals-counter").click()
    page.get_by_role("button", name="批准").first.click()
    log_out(page)
    with runtime.env() as env:
        assert env["purchase.order"].search_read([], ["state"])[0]["state"] == "to_approve"
    log_in(page, "gm")
    page.locator(".approvals-counter").click()
    page.get_by_role("button", name="批准").first.click()
    log_out(page)
    log_in(page, "zhougang")
    open_app(page, "采购")
    menu(page, "询价单与采购订单")
    expect(page.locator("table.list tbody")).to_contain_text("采购订单")
    log_out(page)
    # 3. the keeper receives 6 of the 30; the rest stays in a backorder
    log_in(page, "keeper")
    open_app(page, "仓库管理")
    menu(page, "调拨单")
    first_row(page)
    moves = page.locator("fieldset.lines").first
    moves.locator("tbody tr.line").first.locator("td[data-col=quantity] input").fill("6")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    transition(page, "validate")
    expect(page.locator("#state")).to_contain_text("已完成")
    shot(page, "p2p-received")
    log_out(page)
    # 4. the inspector rejects one with its reason; it goes back to the supplier
    log_in(page, "inspector")
    open_app(page, "仓库管理")
    menu(page, "来料检验")
    first_row(page)
    line = page.locator("fieldset.lines").first.locator("tbody tr.line").first
    line.locator("td[data-col=qty_rejected] input").fill("1")
    line.locator("td[data-col=reject_reason] input").fill("外壳破损")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    transition(page, "confirm")
    expect(page.locator("#state")).to_contain_text("已检验")
    shot(page, "p2p-inspected")
    log_out(page)
    # 5. the payables accountant bills the 5 accepted at the supplier's 2,200.00: the three-way
    # match holds the bill
    log_in(page, "payable")
    open_app(page, "财务会计")
    menu(page, "待开票采购订单")
    first_row(page)
    page.get_by_role("button", name="生成供应商发票", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已完成")
    line = page.locator("fieldset.lines").first.locator("tbody tr.line").first
    line.locator("td[data-col=price_unit] input").fill("2200")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    page.get_by_role("button", name="检查三单匹配", exact=True).click()
    expect(page.locator("#match_state")).to_contain_text("不匹配")
    log_out(page)
    # 6. the purchase manager finds it under his menu and accepts the difference with a reason
    log_in(page, "zhougang")
    open_app(page, "采购")
    menu(page, "待确认差异的采购发票")
    first_row(page)
    page.get_by_label("接受差异的原因", exact=True).fill("原材料涨价，供应商已来函说明")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    page.get_by_role("button", name="接受差异", exact=True).click()
    expect(page.locator("#match_state")).to_contain_text("差异已接受")
    log_out(page)
    # 7. the payables accountant posts it
    log_in(page, "payable")
    open_app(page, "财务会计")
    menu(page, "采购发票")
    first_row(page)
    page.get_by_role("button", name="记账", exact=True).click()
    expect(page.locator("#state")).to_contain_text("已记账")
    shot(page, "p2p-bill-posted")

    with runtime.env() as env:
        bill = env["account.move"].search_read([("move_type", "=", "in_invoice")],
                                               ["state", "amount_total", "match_state"])[0]
        order = env["purchase.order"].search_read([], ["received_percent", "billed_percent",
                                                       "state"])[0]
        returns = env["stock.picking"].search_count([("is_purchase_return", "=", True)])
    assert (bill["state"], bill["amount_total"], bill["match_state"]) == (
        "posted", Decimal("12430.00"), "accepted")  # 5 × 2,200 + 13 % VAT
    assert order["state"] == "purchase" and order["received_percent"] == Decimal("16.67")
    assert returns == 1
