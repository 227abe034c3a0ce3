"""Make to order in a real browser, in Chinese, post by post, each logging in at the login page
and reaching the work by clicks (desktop 1366×768): the sales assistant submits an order for an
oxygen concentrator that is out of stock and the sales manager approves it; the production
planner runs the material requirements planning, which proposes a manufacturing order for the
sales order and a purchase request for a component below its reorder minimum, and confirms them;
the workshop manager approves the order; the keeper issues the components (领料); the workshop
starts and records the production; the quality inspector passes it (完工入库); then SA-003
continues: the delivery notice is made and approved and the keeper's first approval (一审)
ships the goods just made. The inspection is done on a phone (390×844)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Post, record_name, serving, shot
from tests.web_helpers import make_user

D = Decimal
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
POSTS = {"wangfang": "sales.group_assistant", "liqiang": "sales.group_manager",
         "planner": "production.group_planner", "workshop": "production.group_workshop",
         "keeper": "stock.group_keeper", "quality": "production.group_quality",
         "buyer": "purchase.group_manager"}


@pytest.fixture
def factory(make_app: Any) -> Iterator[tuple[str, Any, dict[str, int]]]:
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["sales", "purchase", "production"], demo=False)
    ids = {login: make_user(app, login, [group], lang="zh_CN") for login, group in POSTS.items()}
    with runtime.env() as env:
        ids["customer"] = env["res.partner"].create({"name": "杭州仁和大药房连锁有限公司",
                                                     "is_company": True})
        products = env["product.product"]
        ids["product"] = products.create({"name": "家用制氧机", "default_code": "KY-OX05",
                                          "list_price": D(3680), "produce_to_order": True})
        ids["compressor"] = products.create({"name": "无油压缩机", "standard_price": D(900)})
        ids["shell"] = products.create({"name": "制氧机外壳", "standard_price": D(120)})
        warehouse = env["stock.warehouse"].search([("code", "=", "WH")])[0]
        env["stock.warehouse.orderpoint"].create({"product_id": ids["compressor"],
                                                  "warehouse_id": warehouse,
                                                  "product_min_qty": 5, "product_max_qty": 10})
        receipt = env["stock.picking"].create({
            "picking_type_id": env["stock.picking.type"].search(
                [("code", "=", "incoming"), ("warehouse_id", "=", warehouse)])[0],
            "move_ids": [(0, 0, {"product_id": ids["compressor"], "product_uom_qty": 6,
                                 "price_unit": D(900)}),
                         (0, 0, {"product_id": ids["shell"], "product_uom_qty": 10,
                                 "price_unit": D(120)})]})
        env["stock.picking"].call("button_validate", [receipt])
        centre = env["mrp.workcenter"].create({"name": "总装线", "costs_hour": D(40),
                                               "costs_hour_overhead": D(20)})
        env["mrp.bom"].create({"product_id": ids["product"], "produce_delay": 2,
                               "bom_line_ids": [
                                   (0, 0, {"product_id": ids["compressor"], "product_qty": 1}),
                                   (0, 0, {"product_id": ids["shell"], "product_qty": 1})],
                               "operation_ids": [(0, 0, {"name": "总装调试",
                                                         "workcenter_id": centre,
                                                         "time_cycle_manual": 90})]})
    with runtime.env(uid=ids["wangfang"], su=False) as env:
        ids["order"] = env["sale.order"].create({
            "partner_id": ids["customer"],
            "order_line": [(0, 0, {"product_id": ids["product"], "product_uom_qty": 2})]})
    with serving(app) as base_url:
        yield base_url, runtime, ids


def test_make_to_order_from_the_sales_order_to_the_shipment(browser, factory):
    base_url, runtime, ids = factory
    order = record_name(runtime, "sale.order", [("id", "=", ids["order"])])

    with Post(browser, base_url, "wangfang", DESKTOP) as post:  # the order, out of stock
        post.menu("销售", "报价单和订单")
        post.open(order)
        post.transition("submit")
    with Post(browser, base_url, "liqiang", DESKTOP) as post:
        post.approve(order)

    with Post(browser, base_url, "planner", DESKTOP) as post:  # MRP proposes, planner confirms
        post.menu("生产管理", "物料需求计划")
        post.page.locator("main").get_by_role("link", name="新建", exact=True).click()
        post.page.get_by_role("button", name="保存").click()
        expect(post.page.get_by_role("status")).to_contain_text("已保存")
        post.button("运行物料需求计划")
        lines = post.page.locator("fieldset.lines").first
        expect(lines).to_contain_text("家用制氧机")
        expect(lines).to_contain_text(order)
        expect(lines).to_contain_text("无油压缩机")
        shot(post.page, "production-mto-proposals")
        post.button("确认全部建议")
    production = record_name(runtime, "mrp.production", [("origin", "=", order)])

    with Post(browser, base_url, "workshop", DESKTOP) as post:  # 车间主任 approves
        post.approve(production)
    issue = record_name(runtime, "stock.picking", [("production_id.name", "=", production)])

    with Post(browser, base_url, "keeper", DESKTOP) as post:  # 保管员 issues the components
        post.menu("生产管理", "领料单")
        post.open(issue)
        post.transition("validate")
        expect(post.page.locator("#state")).to_contain_text("已完成")

    with Post(browser, base_url, "workshop", DESKTOP) as post:  # starts, records production
        post.menu("生产管理", "生产任务单")
        post.open(production)
        post.transition("start")
        post.transition("produce")
        expect(post.page.locator("#state")).to_contain_text("待检验")

    with Post(browser, base_url, "quality", PHONE, is_mobile=True,
              has_touch=True) as post:  # 质检员 on the workshop floor, by phone: 完工入库
        post.menu("生产管理", "生产任务单")
        post.open(production)
        post.transition("inspect")
        expect(post.page.locator("#state")).to_contain_text("已完成")
        shot(post.page, "production-mto-received")

    with Post(browser, base_url, "wangfang", DESKTOP) as post:  # SA-003 step 2 continues
        post.menu("销售", "报价单和订单")
        post.open(order)
        post.button("创建发货通知单")
        post.menu("销售", "发货通知单")
        post.open(record_name(runtime, "sale.delivery.notice", [("order_id", "=", ids["order"])]))
        post.transition("approve")
    picking = record_name(runtime, "stock.picking", [("delivery_notice_id.order_id", "=",
                                                ids["order"])])

    with Post(browser, base_url, "keeper", DESKTOP) as post:  # SA-003 step 3: 一审
        post.menu("仓库管理", "调拨单")
        post.open(picking)
        post.transition("first_approval")
        expect(post.page.get_by_text("已出库，待二审").first).to_be_visible()

    with runtime.env() as env:
        made = env["mrp.production"].search_read([("origin", "=", order)], [
            "state", "qty_produced", "cost_total"])
        request = env["purchase.request"].search_read([], ["origin", "state"])
    # 2 × (900 + 120) materials, 2 × 1.5 h × (40 + 20)
    assert [(m["state"], m["qty_produced"], m["cost_total"]) for m in made] == [
        ("done", D(2), D("2220.00"))]
    assert [(r["origin"], r["state"]) for r in request] == [("planning", "to_approve")]
