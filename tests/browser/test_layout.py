"""Generic UI mechanisms in chromium: a product fills its line live (onchange), kanban cards
are dragged between stages, and no page is wider than the window at 1366×768 or 390×844."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_page, serving, shot
from tests.web_helpers import make_user

LONG_NAME = "上海康宁医疗器械有限公司华东区域销售服务中心（浦东新区张江高科技园区分部）"


@pytest.fixture
def sales_server(make_app):
    app = make_app()
    app.extensions["kangyi"].manager.install(["sales", "crm"])
    make_user(app, "fang", ["sales.group_assistant", "crm.group_manager"], lang="zh_CN")
    with app.extensions["kangyi"].env() as env:
        customer = env["res.partner"].create({"name": LONG_NAME, "is_company": True})
        products = [env["product.product"].create({
            "name": f"电子血压计 BP-{i}00 上臂式（医用级，带存储）", "default_code": f"BP{i}00",
            "list_price": "299"}) for i in range(1, 4)]
        order = env["sale.order"].create({"partner_id": customer, "order_line": [
            (0, 0, {"product_id": p, "product_uom_qty": "12"}) for p in products]})
        env["crm.lead"].create([{"name": f"商机 {i}", "partner_id": customer,
                                 "expected_revenue": "120000"} for i in range(3)])
    with serving(app) as base_url:
        yield base_url, order


PAGES = ("/", "/web/sale.order", "/web/sale.order/{order}", "/web/sale.order/new",
         "/web/crm.lead/kanban", "/web/res.partner")


def _widths(browser, base_url, order, width, height):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  base_url=base_url, locale="zh-CN",
                                  is_mobile=width < 500, has_touch=width < 500)
    page = context.new_page()
    try:
        log_in(page, "fang")
        for path in PAGES:
            page.goto(path.format(order=order))
            scroll = page.evaluate("document.documentElement.scrollWidth")
            shot(page, f"layout-{width}{path.format(order=order).replace('/', '-')}")
            assert scroll <= width, f"{path} is {scroll}px wide in a {width}px window"
        if width < 500:  # the side menu waits behind its toggle
            expect(page.locator(".sidemenu details")).not_to_have_attribute("open", "")
    finally:
        context.close()


def test_layout_onchange_and_kanban_drag(browser, sales_server):
    """No page wider than the window at 1366×768 and 390×844; a product fills its line live;
    a card dragged to another stage moves there."""
    base_url, order = sales_server
    for width, height in ((1366, 768), (390, 844)):
        _widths(browser, base_url, order, width, height)
    context, page = open_page(browser, base_url, locale="zh-CN", height=768)
    try:
        log_in(page, "fang")
        page.goto("/web/sale.order/new")
        page.get_by_role("combobox", name="客户", exact=True).fill("康宁")
        page.get_by_role("option").first.click()
        page.get_by_role("button", name="添加一行").click()
        row = page.locator("tr.line").last
        row.locator("td[data-col=product_id] input[type=text]").fill("BP200")
        page.get_by_role("option").first.click()
        expect(row.locator("td[data-col=price_unit] input")).to_have_value("299.0000")
        expect(row.locator("td[data-col=vat_rate] input")).not_to_have_value("")
        shot(page, "onchange-line-filled")
        page.goto("/web/crm.lead/kanban")
        card = page.locator(".kanban-card", has_text="商机 1")
        target = page.locator("section.kanban-col").nth(2)
        card.drag_to(target)
        expect(target.locator(".kanban-card", has_text="商机 1")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("商机 1")
    finally:
        context.close()
