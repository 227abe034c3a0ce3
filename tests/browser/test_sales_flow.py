"""The sales side of SA-003 in a real browser, in Chinese, with sales installed alone: the sales
assistant enters an order, the sales manager approves it, the assistant makes and ships the
delivery notice, prepares the invoicing notice and records the invoice, then the collection."""

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


@pytest.fixture
def sales_page(browser: Any, sales_server: tuple[str, Any]) -> Iterator[Any]:
    context, page = open_page(browser, sales_server[0], locale="zh-CN", timeout=15_000)
    yield page
    context.close()


def log_out(page: Any) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="退出").click()


def pick(scope: Any, combobox: Any, text: str, option: str) -> None:
    combobox.fill(text)
    scope.get_by_role("option", name=option).click()


def transition(page: Any, name: str) -> None:
    page.locator(f"button[data-transition={name}]").click()


def open_first(page: Any, model: str) -> str:
    page.goto(f"/web/{model}")
    page.locator("table.list tbody a").first.click()
    page.wait_for_url(re.compile(rf"/web/{re.escape(model)}/\d+"))
    return page.url


def test_order_to_collection_in_chinese(sales_page, sales_server):
    page, app = sales_page, sales_server[1]
    # 1. the sales assistant enters the order from the signed contract and submits it
    log_in(page, "fang")
    page.get_by_role("navigation", name=re.compile("应用")).get_by_role(
        "link", name="销售").click()
    page.goto("/web/sale.order/new")
    pick(page, page.get_by_label("客户", exact=True), "康宁", "上海康宁医疗器械有限公司")
    page.get_by_label("客户订单号/合同号", exact=True).fill("HT-2026-018")
    lines = page.locator("fieldset.lines").first
    lines.get_by_role("button", name="添加一行").click()
    row = lines.locator("tbody tr.line").last
    pick(page, row.locator("td[data-col=product_id] input[role=combobox]"), "血压", "电子血压计")
    row.locator("td[data-col=product_uom_qty] input").fill("10")
    row.locator("td[data-col=discount] input").fill("5")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    expect(page.locator("#amount_total")).to_contain_text("3,209.77")  # 2 840.50 + 13 % VAT
    order_url = page.url
    order_id = int(re.search(r"/web/sale.order/(\d+)", order_url).group(1))
    shot(page, "sales-order-entered")
    transition(page, "submit")
    expect(page.locator("#state")).to_contain_text(re.compile("待审核|待审批|等待审批"))
    log_out(page)
    # 2. the sales manager approves it (销售主管审核)
    log_in(page, "qiang")
    page.goto(order_url)
    page.locator("form[action$='/approve'] button[type=submit]").click()
    expect(page.locator("#state")).to_contain_text("销售订单")
    shot(page, "sales-order-approved")
    log_out(page)
    # 3. the assistant creates the delivery notice, approves it and marks it shipped
    log_in(page, "fang")
    page.goto(order_url)
    page.get_by_role("button", name="创建发货通知单").click()
    expect(page.get_by_role("status")).to_contain_text("完成")
    open_first(page, "sale.delivery.notice")
    transition(page, "approve")
    expect(page.locator("#state")).to_contain_text(re.compile("已审核|已批准"))
    transition(page, "ship")
    expect(page.locator("#state")).to_contain_text("已发货")
    shot(page, "sales-delivery-shipped")
    page.goto(order_url)
    expect(page.locator("#delivery_status")).to_contain_text("全部发货")
    # 4. the invoicing notice: reviewed (复核), sent to finance, the invoice number recorded
    page.get_by_role("button", name="创建开票通知单").click()
    expect(page.get_by_role("status")).to_contain_text("完成")
    notice_url = open_first(page, "sale.invoice.notice")
    expect(page.locator("#amount_total")).to_contain_text("3,209.77")
    transition(page, "review")
    expect(page.locator("#state")).to_contain_text("已复核")
    transition(page, "send")
    expect(page.locator("#state")).to_contain_text("已送财务")
    page.get_by_label("发票号码", exact=True).fill("04410088")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    page.goto(notice_url)
    transition(page, "invoice")
    expect(page.locator("#state")).to_contain_text("已开票")
    shot(page, "sales-invoicing-notice")
    # 5. the collection (回款): received by bank transfer, allocated to the order, confirmed
    page.goto("/web/sale.collection/new")
    pick(page, page.get_by_label("客户", exact=True), "康宁", "上海康宁医疗器械有限公司")
    page.locator("#amount").fill("3209.77")
    page.get_by_label("收款账号", exact=True).fill("工商银行 1001 2345 6789")
    page.locator("#reference").fill("HK-88001")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    page.get_by_role("button", name="自动分配到未回款订单").click()
    expect(page.locator("#amount_unallocated")).to_contain_text("0.00")
    transition(page, "post")
    expect(page.locator("#state")).to_contain_text("已确认")
    shot(page, "sales-collection")
    # the order is complete: delivered, invoiced, collected, and locked
    page.goto(order_url)
    expect(page.locator("#state")).to_contain_text("已完成")
    expect(page.locator("#collected_percent")).to_contain_text("100")
    page.goto(f"/web/page/sales/order/{order_id}/print")
    expect(page.locator("h1")).to_contain_text("销售订单")
    shot(page, "sales-order-print")
    with app.extensions["kangyi"].env() as env:
        order = env["sale.order"].read([order_id], [
            "state", "amount_total", "amount_collected", "delivered_percent",
            "invoiced_percent", "client_order_ref"])[0]
        assert order["state"] == "done" and order["client_order_ref"] == "HT-2026-018"
        assert order["amount_total"] == order["amount_collected"] == Decimal("3209.77")
        assert order["delivered_percent"] == order["invoiced_percent"] == Decimal("100.00")
        history = env["workflow.history"].search_read(
            [("res_model", "=", "sale.order"), ("res_id", "=", order_id),
             ("decision", "=", "approve")], ["user_id"])
        assert [h["user_id"][1] for h in history] == ["Qiang"]
