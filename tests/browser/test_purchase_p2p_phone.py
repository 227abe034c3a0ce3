"""Procure-to-pay on a phone (390×844), in Chinese, by clicks from each post's home page, one user
per post: the requester (请购人) enters a purchase request, the purchase manager (采购主管)
approves it from the inbox, the buyer (采购员) sources it through a comparison sheet and picks the
winner with a reason on the comparison table (比价表), then submits the order, which the manager
approves and, the order being above the general manager's amount (50,000.00), so does the general
manager (总经理); the keeper (保管员) receives it, the inspector (检验员) accepts it and the
payables accountant (应付会计) bills and posts it, then pays the supplier and writes the payment
off against the bill (核销)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Post, record_name, serving, shot
from tests.web_helpers import make_user

PHONE = {"width": 390, "height": 844}
POSTS = (("chenjing", "purchase.group_requester"), ("sunli", "purchase.group_user"),
         ("zhougang", "purchase.group_manager"), ("keeper", "stock.group_keeper"),
         ("inspector", "stock.group_inspector"), ("payable", "purchase_account.group_payable"),
         ("gm", "purchase.group_general_manager"))


@pytest.fixture
def p2p(make_app: Any) -> Iterator[tuple[str, Any]]:
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["purchase", "stock", "accounting"])
    for login, group in POSTS:
        make_user(app, login, [group], lang="zh_CN")
    with runtime.env() as env:
        partners = env["res.partner"]
        yuyue = partners.create({"name": "江苏鱼跃医疗", "is_company": True})
        omron = partners.create({"name": "欧姆龙大连", "is_company": True})
        product = env["product.product"].create({"name": "电子血压计", "default_code": "KY-BP100",
                                                 "standard_price": "100"})
        env["product.supplierinfo"].create([
            {"partner_id": yuyue, "product_id": product, "price": "100", "delay": 7},
            {"partner_id": omron, "product_id": product, "price": "95", "delay": 20}])
    with serving(app) as base_url:
        yield base_url, runtime


def phone(browser: Any, base_url: str, login: str) -> Post:
    return Post(browser, base_url, login, PHONE, is_mobile=True, has_touch=True)


def test_procure_to_pay_on_a_phone_by_seven_posts(browser, p2p):
    base_url, runtime = p2p
    with phone(browser, base_url, "chenjing") as post:  # 1. the request
        post.menu("采购", "请购单")
        post.page.get_by_role("link", name="新建").click()
        post.page.locator("#department").fill("生产部")
        lines = post.page.locator("fieldset.lines").first
        lines.get_by_role("button", name="添加一行").click()
        row = lines.locator("tbody tr.line").last
        row.locator("td[data-col=product_id] input[role=combobox]").fill("血压")
        post.page.get_by_role("option", name=re.compile("电子血压计")).click()
        row.locator("td[data-col=product_qty] input").fill("500")
        row.locator("td[data-col=reason] input").fill("四季度备货")
        post.page.get_by_role("button", name="保存").click()
        expect(post.page.get_by_role("status")).to_contain_text("已保存")
        post.transition("submit")
        expect(post.page.locator("#state")).to_contain_text("待审批")
    request = record_name(runtime, "purchase.request", [])
    with phone(browser, base_url, "zhougang") as post:  # 2. approved from the inbox
        post.approve(request)
    with phone(browser, base_url, "sunli") as post:  # 3. sourcing by comparison
        post.menu("采购", "请购单")
        post.open(request)
        post.button("生成比价单")
        post.choose("supplier_ids", "鱼跃", "江苏鱼跃医疗")
        post.choose("supplier_ids", "欧姆龙", "欧姆龙大连")
        post.page.get_by_role("button", name="保存").click()
        expect(post.page.get_by_role("status")).to_contain_text("已保存")
        post.button("发出询价")
        post.page.locator(".page-head").get_by_role("link", name="比价表").click()
        matrix = post.page.locator("#comparison-matrix")
        expect(matrix.locator("thead th").nth(2)).to_contain_text("欧姆龙大连")  # cheapest
        expect(matrix.locator("thead th").nth(2)).to_contain_text("最低总价")
        shot(post.page, "p2p-phone-comparison")
        post.page.get_by_label("选择江苏鱼跃医疗").check()
        post.page.get_by_label("选定理由").fill("交期七天，欧姆龙要二十天")
        post.page.get_by_role("button", name="确认选定").click()
        post.ok()
        winner = matrix.locator("thead th.winner")
        expect(winner).to_contain_text("江苏鱼跃医疗")
        expect(winner).to_contain_text("中选")
        winner.get_by_role("link").click()
        expect(post.page.locator("#amount_total")).to_contain_text("56,500.00")
        post.transition("submit")
        expect(post.page.locator("#state")).to_contain_text("待审批")
    order = record_name(runtime, "purchase.order", [("state", "=", "to_approve")])
    with phone(browser, base_url, "zhougang") as post:  # 4. the order approved
        post.approve(order)
    with runtime.env() as env:  # above 50,000.00: the general manager's turn
        assert env["purchase.order"].search_read([("name", "=", order)], ["state"])[0][
            "state"] == "to_approve"
    with phone(browser, base_url, "gm") as post:
        post.approve(order)
    with phone(browser, base_url, "keeper") as post:  # 5. received in full
        post.menu("仓库管理", "调拨单")
        post.open_first()
        post.transition("validate")
        expect(post.page.locator("#state")).to_contain_text("已完成")
    with phone(browser, base_url, "inspector") as post:  # 6. accepted
        post.menu("仓库管理", "来料检验")
        post.open_first()
        post.transition("confirm")
        expect(post.page.locator("#state")).to_contain_text("已检验")
    with phone(browser, base_url, "payable") as post:  # 7. billed and posted
        post.menu("财务会计", "待开票采购订单")
        post.open(order)
        post.button("生成供应商发票")  # the new bill opens
        post.button("记账")
        expect(post.page.locator("#state")).to_contain_text("已记账")
        shot(post.page, "p2p-phone-bill-posted")
    bill = record_name(runtime, "account.move", [("move_type", "=", "in_invoice")])
    with phone(browser, base_url, "payable") as post:  # 8. paid and written off (核销)
        post.menu("财务会计", "供应商付款")
        post.page.locator("main").get_by_role("link", name="新建", exact=True).click()
        post.page.get_by_label("收付类型", exact=True).select_option(label="付款")
        post.page.get_by_label("往来类型", exact=True).select_option(label="供应商")
        post.choose("partner_id", "鱼跃", "江苏鱼跃医疗")
        post.page.locator("#amount").fill("56500")
        post.choose("journal_id", "银行", "银行日记账")
        post.choose("invoice_ids", bill[:8], bill)
        post.page.get_by_role("button", name="保存").click()
        expect(post.page.get_by_role("status")).to_contain_text("已保存")
        post.button("记账并核销")
        expect(post.page.get_by_text("已记账").first).to_be_visible()
        shot(post.page, "p2p-phone-paid")

    with runtime.env() as env:
        sheet = env["purchase.comparison"].search_read([], ["state", "winner_partner_id",
                                                            "reason"])[0]
        head = env["purchase.order"].search_read([("name", "=", order)], [
            "partner_id", "received_percent", "billed_percent", "paid_percent", "amount_total",
            "state"])[0]
        bill = env["account.move"].search_read([("move_type", "=", "in_invoice")],
                                               ["state", "amount_total", "match_state",
                                                "payment_state"])[0]
    assert (sheet["state"], sheet["winner_partner_id"][1], sheet["reason"]) == (
        "done", "江苏鱼跃医疗", "交期七天，欧姆龙要二十天")
    assert head["partner_id"][1] == "江苏鱼跃医疗" and head["received_percent"] == Decimal(100)
    assert head["billed_percent"] == head["paid_percent"] == Decimal(100)
    assert head["state"] == "purchase" and head["amount_total"] == Decimal("56500.00")
    assert (bill["state"], bill["amount_total"], bill["match_state"], bill["payment_state"]) == (
        "posted", Decimal("56500.00"), "matched", "paid")
