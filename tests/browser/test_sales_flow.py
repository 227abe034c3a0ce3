"""The sales side of SA-003 in a real browser, in Chinese, with sales installed alone, each post
from the login page by clicks only: the sales assistant enters an order, the sales manager
approves it, the assistant makes and ships the delivery notice, prepares the invoicing notice and
records the invoice, then the collection."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Post, pick, serving, shot
from tests.web_helpers import make_user


@pytest.fixture
def sales_server(make_app: Any) -> Iterator[tuple[str, Any]]:
    app = make_app()
    app.extensions["kangyi"].manager.install(["sales"])
    make_user(app, "fang", ["sales.group_assistant"], lang="zh_CN")
    make_user(app, "qiang", ["sales.group_manager"], lang="zh_CN")
    with app.extensions["kangyi"].env() as env:
        env["res.partner"].create({"name": "上海康宁医疗器械有限公司", "city": "上海",
                                   "is_company": True})
        env["product.product"].create({"name": "电子血压计", "default_code": "KY-BP100",
                                       "list_price": "299"})
    with serving(app) as base_url:
        yield base_url, app


DESKTOP = {"width": 1366, "height": 768}


def _order_name(app: Any, order_id: int) -> str:
    with app.extensions["kangyi"].env() as env:
        return env["sale.order"].read([order_id], ["name"])[0]["name"]


def test_order_to_collection_in_chinese(browser, sales_server):
    base_url, app = sales_server
    # 1. the sales assistant enters the order from the signed contract and submits it
    with Post(browser, base_url, "fang", DESKTOP) as post:
        page = post.page
        post.menu("销售", "报价单和订单")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        pick(page, page.get_by_label("客户", exact=True), "康宁", "上海康宁医疗器械有限公司")
        page.get_by_label("客户订单号/合同号", exact=True).fill("HT-2026-018")
        lines = page.locator("fieldset.lines").first
        lines.get_by_role("button", name="添加一行").click()
        row = lines.locator("tbody tr.line").last
        pick(page, row.locator("td[data-col=product_id] input[role=combobox]"), "血压",
             "电子血压计")
        row.locator("td[data-col=product_uom_qty] input").fill("10")
        row.locator("td[data-col=discount] input").fill("5")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        expect(page.locator("#amount_total")).to_contain_text("3,209.77")  # 2 840.50 + 13 %
        order_id = int(re.search(r"/web/sale.order/(\d+)", page.url).group(1))
        order = _order_name(app, order_id)
        shot(page, "sales-order-entered")
        post.transition("submit")
        expect(page.locator("#state")).to_contain_text(re.compile("待审核|待审批|等待审批"))
    # 2. the sales manager approves it (销售主管审核) on the order
    with Post(browser, base_url, "qiang", DESKTOP) as post:
        page = post.page
        post.menu("销售", "报价单和订单")
        post.open(order)
        page.locator("form[action$='/approve'] button[type=submit]").click()
        expect(page.locator("#state")).to_contain_text("销售订单")
        shot(page, "sales-order-approved")
    # 3. the assistant creates the delivery notice, approves it and marks it shipped
    with Post(browser, base_url, "fang", DESKTOP) as post:
        page = post.page
        post.menu("销售", "报价单和订单")
        post.open(order)
        post.button("创建发货通知单")
        post.menu("销售", "发货通知单")
        post.open_first()
        post.transition("approve")
        expect(page.locator("#state")).to_contain_text(re.compile("已审核|已批准"))
        post.transition("ship")
        expect(page.locator("#state")).to_contain_text("已发货")
        shot(page, "sales-delivery-shipped")
        post.menu("销售", "报价单和订单")
        post.open(order)
        expect(page.locator("#delivery_status")).to_contain_text("全部发货")
        # 4. the invoicing notice: reviewed (复核), sent to finance, the invoice number recorded
        post.button("创建开票通知单")
        post.menu("销售", "开票通知单")
        post.open_first()
        expect(page.locator("#amount_total")).to_contain_text("3,209.77")
        post.transition("review")
        expect(page.locator("#state")).to_contain_text("已复核")
        post.transition("send")
        expect(page.locator("#state")).to_contain_text("已送财务")
        page.get_by_label("发票号码", exact=True).fill("04410088")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        post.transition("invoice")
        expect(page.locator("#state")).to_contain_text("已开票")
        shot(page, "sales-invoicing-notice")
        # 5. the collection (回款): received by bank transfer, allocated to the order, confirmed
        post.menu("销售", "回款")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        pick(page, page.get_by_label("客户", exact=True), "康宁", "上海康宁医疗器械有限公司")
        page.locator("#amount").fill("3209.77")
        page.get_by_label("收款账号", exact=True).fill("工商银行 1001 2345 6789")
        page.locator("#reference").fill("HK-88001")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        post.button("自动分配到未回款订单")
        expect(page.locator("#amount_unallocated")).to_contain_text("0.00")
        post.transition("post")
        expect(page.locator("#state")).to_contain_text("已确认")
        shot(page, "sales-collection")
        # the order is complete: delivered, invoiced, collected, and locked; then printed
        post.menu("销售", "报价单和订单")
        post.open(order)
        expect(page.locator("#state")).to_contain_text("已完成")
        expect(page.locator("#collected_percent")).to_contain_text("100")
        post.menu("销售", "打印报价单和订单")
        with post.context.expect_page() as printed:  # the print layout opens in a new tab
            page.locator("main tr", has_text=order).get_by_role("link", name="打印").click()
        expect(printed.value.locator("h1")).to_contain_text("销售订单")
        shot(printed.value, "sales-order-print")
    with app.extensions["kangyi"].env() as env:
        row = env["sale.order"].read([order_id], [
            "state", "amount_total", "amount_collected", "delivered_percent",
            "invoiced_percent", "client_order_ref"])[0]
        assert row["state"] == "done" and row["client_order_ref"] == "HT-2026-018"
        assert row["amount_total"] == row["amount_collected"] == Decimal("3209.77")
        assert row["delivered_percent"] == row["invoiced_percent"] == Decimal("100.00")
        history = env["workflow.history"].search_read(
            [("res_model", "=", "sale.order"), ("res_id", "=", order_id),
             ("decision", "=", "approve")], ["user_id"])
        assert [h["user_id"][1] for h in history] == ["Qiang"]
