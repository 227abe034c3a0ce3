"""SA-003 by its seven posts, in Chinese, each logging in at the login page and reaching its work
by clicking menus, lists, links and buttons (no address typed), on a desktop and on a phone:

销售助理 submits the order → 销售主管 approves it in the approvals inbox → 销售助理 makes
and approves the delivery notice → 保管员 一审 of the transfer → 发货检验员 二审 → 销售助理
sends the invoicing notice → 开票员 posts the invoice → 材料成本会计 matches the shipment
(钩稽) and books the cost of sales → 往来会计 records the receipt and writes it off (核销).
The order then shows delivered, invoiced and collected 100 %.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Post, record_name, serving, shot
from tests.web_helpers import make_user

D = Decimal
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
POSTS = {"wangfang": "sales.group_assistant", "liqiang": "sales.group_manager",
         "keeper": "stock.group_keeper", "inspector": "stock.group_inspector",
         "clerk": "accounting.group_invoicing", "cost": "accounting.group_cost",
         "ar": "accounting.group_receivable"}


@pytest.fixture
def sa003(make_app: Any) -> Iterator[tuple[str, Any, dict[str, int]]]:
    """Sales, stock and accounting; a user per post; stock on hand; the quotation the signed
    contract gave (SA-003 starts from it)."""
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["sales", "stock", "accounting"])
    ids = {login: make_user(app, login, [group], lang="zh_CN") for login, group in POSTS.items()}
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
    with runtime.env(uid=ids["wangfang"], su=False) as env:
        ids["order"] = env["sale.order"].create({
            "partner_id": ids["customer"],
            "order_line": [(0, 0, {"product_id": ids["product"], "product_uom_qty": 4})]})
    with serving(app) as base_url:
        yield base_url, runtime, ids


@pytest.mark.parametrize("size", list(SIZES))
def test_sa003_by_its_seven_posts_from_their_home_pages(browser, sa003, size):
    base_url, runtime, ids = sa003
    viewport = SIZES[size]
    order = record_name(runtime, "sale.order", [("id", "=", ids["order"])])

    with Post(browser, base_url, "wangfang", viewport) as post:  # step 1: 销售助理 submits
        post.menu("销售", "报价单和订单")
        post.open(order)
        post.transition("submit")

    with Post(browser, base_url, "liqiang", viewport) as post:  # step 1: 销售主管 审核
        post.approve(order)

    with Post(browser, base_url, "wangfang", viewport) as post:  # step 2: the delivery notice
        post.menu("销售", "报价单和订单")
        post.open(order)
        post.button("创建发货通知单")
        post.menu("销售", "发货通知单")
        post.open(record_name(runtime, "sale.delivery.notice", [("order_id", "=", ids["order"])]))
        post.transition("approve")
    picking = record_name(runtime, "stock.picking",
                          [("delivery_notice_id.order_id", "=", ids["order"])])

    with Post(browser, base_url, "keeper", viewport) as post:  # step 3: 保管员 一审
        post.menu("仓库管理", "调拨单")
        post.open(picking)
        post.transition("first_approval")
        expect(post.page.get_by_text("已出库，待二审").first).to_be_visible()

    with Post(browser, base_url, "inspector", viewport) as post:  # step 3: 发货检验员 二审
        post.menu("仓库管理", "调拨单")
        post.open(picking)
        post.transition("second_approval")
        expect(post.page.get_by_text("已完成").first).to_be_visible()
        post.menu("仓库管理", "现有库存")  # the goods wait in the customer's transit location
        expect(post.page.get_by_text("FC/杭州仁和大药房连锁有限公司").first).to_be_visible()

    with Post(browser, base_url, "wangfang", viewport) as post:  # step 4: the invoicing notice
        post.menu("销售", "报价单和订单")
        post.open(order)
        post.button("创建开票通知单")
        post.menu("销售", "开票通知单")
        post.open(record_name(runtime, "sale.invoice.notice", [("order_id", "=", ids["order"])]))
        post.transition("review")
        post.transition("send")

    with Post(browser, base_url, "clerk", viewport) as post:  # step 5: 开票员 posts the invoice
        post.menu("财务会计", "销售发票")
        post.open_first()
        post.button("记账")
        expect(post.page.get_by_text("已记账").first).to_be_visible()
    invoice = record_name(runtime, "account.move", [("sale_order_id", "=", ids["order"])])
    assert re.match(r"SAL.\d{4}.\d{2}.0001", invoice)

    with Post(browser, base_url, "cost", viewport) as post:  # step 6: 钩稽 and cost of sales
        post.menu("财务会计", "销售发票")
        post.open(invoice)
        post.button("钩稽出库单")
        post.menu("财务会计", "会计期间")
        today = dt.date.today()
        post.open(record_name(runtime, "account.period", [("date_from", "<=", today),
                                                    ("date_to", ">=", today)]))
        post.button("结转销售成本")

    with Post(browser, base_url, "ar", viewport) as post:  # step 7: 往来会计 receipt, 核销
        post.menu("财务会计", "收付款单")
        post.page.locator("main").get_by_role("link", name="新建", exact=True).click()
        post.choose("partner_id", "杭州仁和", "杭州仁和大药房连锁有限公司")
        post.page.locator("#amount").fill("16633.60")
        post.choose("journal_id", "银行", "银行日记账")
        post.choose("invoice_ids", invoice[:8], invoice)
        post.page.get_by_role("button", name="保存").click()
        expect(post.page.get_by_role("status")).to_contain_text("已保存")
        post.button("记账并核销")
        expect(post.page.get_by_text("已记账").first).to_be_visible()
        shot(post.page, f"sa003-by-posts-{size}")

    with Post(browser, base_url, "wangfang", viewport) as post:  # the order is complete
        post.menu("销售", "报价单和订单")
        post.open(order)
        expect(post.page.get_by_text("100").first).to_be_visible()
        # the hand-offs both ways: the order's smart buttons, each document's back to it
        heading = post.page.locator(".page-head h1")
        for label in ("发货通知单", "开票通知单"):
            post.related(label)
            expect(heading).not_to_contain_text(order)
            post.related("销售订单")
            expect(heading).to_contain_text(order)
        shot(post.page, f"sa003-order-related-{size}")
    with runtime.env() as env:
        row = env["sale.order"].read([ids["order"]], [
            "state", "delivered_percent", "invoiced_percent", "collected_percent",
            "amount_collected"])[0]
    assert (row["delivered_percent"], row["invoiced_percent"], row["collected_percent"]) == (
        100, 100, 100)
    assert row["amount_collected"] == D("16633.60") and row["state"] == "done"
