"""Generic UI mechanisms in chromium: a product fills its line live (onchange), kanban cards
are dragged between stages, and no page is wider than the window at 1366×768 or 390×844."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Post, serving, shot
from tests.web_helpers import make_user

LONG_NAME = "上海康宁医疗器械有限公司华东区域销售服务中心（浦东新区张江高科技园区分部）"


@pytest.fixture
def sales_server(make_app):
    app = make_app()
    app.extensions["kangyi"].manager.install(["sales", "crm"])
    fang = make_user(app, "fang", ["sales.group_assistant", "crm.group_manager"], lang="zh_CN")
    with app.extensions["kangyi"].env() as env:
        customer = env["res.partner"].create({"name": LONG_NAME, "is_company": True})
        products = [env["product.product"].create({
            "name": f"电子血压计 BP-{i}00 上臂式（医用级，带存储）", "default_code": f"BP{i}00",
            "list_price": "299"}) for i in range(1, 4)]
        order = env["sale.order"].create({
            "partner_id": customer, "user_id": fang, "order_line": [
                (0, 0, {"product_id": p, "product_uom_qty": "12"}) for p in products]})
        env["crm.lead"].create([{"name": f"商机 {i}", "partner_id": customer,
                                 "expected_revenue": "120000"} for i in range(3)])
    with serving(app) as base_url:
        yield base_url, order


def _pages(post, order):
    """Visit by clicks the pages whose widths are checked; yield each one's name once shown."""
    page = post.page
    yield "home"
    post.menu("销售", "报价单和订单")
    yield "sale-orders"
    post.open_first()
    expect(page).to_have_url(re.compile(rf"/web/sale\.order/{order}$"))
    yield "sale-order"
    post.menu("销售", "报价单和订单")
    page.locator("main").get_by_role("link", name="新建", exact=True).click()
    expect(page.get_by_role("button", name="添加一行")).to_be_visible()
    yield "sale-order-new"
    post.menu("客户关系", "销售漏斗")
    expect(page.locator(".kanban-card").first).to_be_visible()
    yield "crm-lead-kanban"
    post.menu("客户关系", "客户")
    expect(page.locator("table.list")).to_be_visible()
    yield "partners"


def _widths(browser, base_url, order, width, height):
    phone = width < 500
    with Post(browser, base_url, "fang", {"width": width, "height": height},
              is_mobile=phone, has_touch=phone) as post:
        for name in _pages(post, order):
            post.page.wait_for_load_state("load")
            scroll = post.page.evaluate("document.documentElement.scrollWidth")
            shot(post.page, f"layout-{width}-{name}")
            assert scroll <= width, f"{name} is {scroll}px wide in a {width}px window"
        if phone:  # the side menu waits behind its toggle
            expect(post.page.locator(".sidemenu details")).not_to_have_attribute("open", "")


def test_layout_onchange_and_kanban_drag(browser, sales_server):
    """No page wider than the window at 1366×768 and 390×844; a product fills its line live;
    a card dragged to another stage moves there."""
    base_url, order = sales_server
    for width, height in ((1366, 768), (390, 844)):
        _widths(browser, base_url, order, width, height)
    with Post(browser, base_url, "fang", {"width": 1366, "height": 768}) as post:
        page = post.page
        post.menu("销售", "报价单和订单")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        page.get_by_role("combobox", name="客户", exact=True).fill("康宁")
        page.get_by_role("option").first.click()
        page.get_by_role("button", name="添加一行").click()
        row = page.locator("tr.line").last
        row.locator("td[data-col=product_id] input[type=text]").fill("BP200")
        page.get_by_role("option").first.click()
        expect(row.locator("td[data-col=price_unit] input")).to_have_value("299.0000")
        expect(row.locator("td[data-col=vat_rate] input")).not_to_have_value("")
        shot(page, "onchange-line-filled")
        post.menu("客户关系", "销售漏斗")
        card = page.locator(".kanban-card", has_text="商机 1")
        target = page.locator("section.kanban-col").nth(2)
        card.drag_to(target)
        expect(target.locator(".kanban-card", has_text="商机 1")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("商机 1")
