"""Data analysis in a real browser, in Chinese at 1366×768 and on a phone (390×844), by clicks
from the login page: the general manager opens their dashboard (tiles, a chart drawn by the
shipped ECharts), clicks the orders tile, lands on a pivot of this month's orders, exports it,
drills to the orders behind a customer's cell and exports them; on the phone no page is wider
than the screen (the wide tables scroll in their own box)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Post, serving, shot
from tests.web_helpers import make_user

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
KANGNING = "上海康宁医疗器械有限公司"


@pytest.fixture
def analytics_server(make_app: Any) -> Iterator[tuple[str, Any]]:
    app = make_app()
    app.extensions["kangyi"].manager.install(["sales", "analytics"])
    make_user(app, "zong", ["analytics.group_general_manager", "sales.group_director"],
              lang="zh_CN")
    today = dt.date.today().isoformat()
    with app.extensions["kangyi"].env() as env:
        product = env["product.product"].create({"name": "电子血压计", "list_price": "299"})
        for name, quantities in ((KANGNING, (2, 5)), ("杭州仁和大药房连锁有限公司", (1,))):
            partner = env["res.partner"].create({"name": name, "is_company": True})
            for qty in quantities:
                env["sale.order"].create({"partner_id": partner, "date_order": today,
                                          "order_line": [(0, 0, {"product_id": product,
                                                                 "product_uom_qty": qty,
                                                                 "price_unit": "299"})]})
    with serving(app) as base_url:
        yield base_url, app


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_general_manager_dashboard_to_orders(browser, analytics_server, screen):
    from openpyxl import load_workbook

    base_url, _app = analytics_server
    phone = screen == "phone"
    device = dict(is_mobile=True, has_touch=True) if phone else {}

    def fits() -> None:
        if phone:
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    with Post(browser, base_url, "zong", PHONE if phone else DESKTOP, **device) as post:
        page = post.page
        post.menu("数据分析", "仪表板")
        expect(page.get_by_role("heading", name="总经理", exact=True)).to_be_visible()
        orders = page.locator("a.kpi-link", has=page.get_by_role("heading", name="订单",
                                                                  exact=True))
        expect(orders.locator(".kpi-value")).to_have_text("3")
        expect(page.locator("[data-chart][data-ready]").first).to_be_attached()  # ECharts drew
        fits()
        shot(page, f"analytics-dashboard-zh-{screen}")
        orders.click()
        pivot = page.locator("table.pivot")
        expect(pivot).to_be_visible()
        row = pivot.locator("tbody tr", has_text=KANGNING)
        expect(row.locator("td").first).to_have_text("2,365.09")  # 7 meters at 299, VAT 13%
        with page.expect_download() as download:
            page.get_by_role("link", name="导出 XLSX").click()
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
        assert KANGNING in [c.value for c in sheet["A"]]
        fits()
        shot(page, f"analytics-pivot-zh-{screen}")
        row.locator("td a").first.click()  # the orders behind the cell
        table = page.locator("main table.list")
        expect(table.locator("tbody tr")).to_have_count(2)
        expect(table).to_contain_text(KANGNING)
        expect(table).not_to_contain_text("仁和")
        with page.expect_download() as download:
            page.get_by_role("button", name="导出 XLSX").click()
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
        assert sheet.max_row == 3  # the header and the two orders
        fits()
        shot(page, f"analytics-drill-zh-{screen}")
