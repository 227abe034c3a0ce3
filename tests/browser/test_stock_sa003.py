"""SA-003 steps 1-3 in a real browser, in Chinese, each step by its post: the sales assistant
submits the order and makes and approves the delivery notice, the warehouse keeper gives the
transfer its first approval (一审), the shipping inspector the second (二审); the goods end in the
customer's transit location (发出商品)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from core import workflow_engine as engine
from tests.browser.conftest import logged_in, serving, shot
from tests.web_helpers import make_user


@pytest.fixture
def sa003_server(make_app: Any) -> Iterator[tuple[str, Any, dict[str, int]]]:
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["sales", "stock"])
    ids = {
        "assistant": make_user(app, "wangfang", ["sales.group_assistant"], lang="zh_CN"),
        "manager": make_user(app, "liqiang", ["sales.group_manager"], lang="zh_CN"),
        "keeper": make_user(app, "keeper", ["stock.group_keeper"], lang="zh_CN"),
        "inspector": make_user(app, "inspector", ["stock.group_inspector"], lang="zh_CN"),
    }
    with runtime.env() as env:
        ids["customer"] = env["res.partner"].create({"name": "杭州仁和大药房连锁有限公司",
                                                     "is_company": True})
        ids["product"] = env["product.product"].create({
            "name": "家用制氧机", "default_code": "KY-OX05", "list_price": Decimal("3680"),
            "standard_price": Decimal("2150")})
        receipt = env["stock.picking"].create({
            "picking_type_id": env["stock.picking.type"].search(
                [("code", "=", "incoming"), ("warehouse_id.code", "=", "WH")])[0],
            "move_ids": [(0, 0, {"product_id": ids["product"], "product_uom_qty": 10,
                                 "price_unit": Decimal("2150")})]})
        env["stock.picking"].call("button_validate", [receipt])
    with runtime.env(uid=ids["assistant"], su=False) as env:  # the order the contract gave
        ids["order"] = env["sale.order"].create({
            "partner_id": ids["customer"],
            "order_line": [(0, 0, {"product_id": ids["product"], "product_uom_qty": 4})]})
    with serving(app) as base_url:
        yield base_url, runtime, ids


def _click_transition(page: Any, name: str) -> None:
    page.locator(f"button[data-transition='{name}']").click()
    expect(page.locator(".flash.error, .flash-error, [role=alert].error")).to_have_count(0)


def test_sa003_steps_1_to_3_by_three_posts(browser, sa003_server):
    base_url, runtime, ids = sa003_server
    # step 1: the assistant submits the order; the sales manager approves it (审核)
    context, page = logged_in(browser, base_url, "wangfang")
    try:
        page.goto(f"/web/sale.order/{ids['order']}")
        _click_transition(page, "submit")
        with runtime.env(uid=ids["manager"], su=False) as env:
            engine.approve(env, "sale.order", ids["order"], "同意")
        # step 2: the delivery notice from the order, approved by the assistant
        page.goto(f"/web/sale.order/{ids['order']}")
        page.get_by_role("button", name="创建发货通知单").click()
        with runtime.env() as env:
            notice = env["sale.delivery.notice"].search([("order_id", "=", ids["order"])])[0]
        page.goto(f"/web/sale.delivery.notice/{notice}")
        _click_transition(page, "approve")
        with runtime.env() as env:
            picking = env["stock.picking"].search([("delivery_notice_id", "=", notice)])[0]
            name = env["stock.picking"].read([picking], ["name"])[0]["name"]
        expect(page.get_by_text(name)).to_be_visible()  # the notice names its transfer
        shot(page, "sa003-notice-approved")
    finally:
        context.close()

    # step 3a: the keeper's first approval (一审): the goods are reserved and leave
    context, page = logged_in(browser, base_url, "keeper")
    try:
        page.goto(f"/web/stock.picking/{picking}")
        expect(page.locator("button[data-transition='first_approval']")).to_have_text("一审")
        expect(page.locator("button[data-transition='second_approval']")).to_have_count(0)
        _click_transition(page, "first_approval")
        expect(page.get_by_text("已出库，待二审").first).to_be_visible()
        expect(page.locator("button[data-transition='second_approval']")).to_have_count(0)
        shot(page, "sa003-first-approval")
    finally:
        context.close()

    # step 3b: the inspector's second approval (二审): the transfer is done
    context, page = logged_in(browser, base_url, "inspector")
    try:
        page.goto(f"/web/stock.picking/{picking}")
        expect(page.locator("button[data-transition='second_approval']")).to_have_text("二审")
        _click_transition(page, "second_approval")
        expect(page.get_by_text("已完成").first).to_be_visible()
        page.goto("/web/stock.quant")
        expect(page.get_by_text("FC/杭州仁和大药房连锁有限公司").first).to_be_visible()
        shot(page, "sa003-goods-in-transit")
    finally:
        context.close()

    with runtime.env() as env:
        row = env["stock.picking"].read([picking], ["state", "first_approval_uid",
                                                    "second_approval_uid"])[0]
        assert row["state"] == "done"
        assert (row["first_approval_uid"][0], row["second_approval_uid"][0]) == (
            ids["keeper"], ids["inspector"])
        assert env["sale.delivery.notice"].read([notice], ["state"])[0]["state"] == "done"
        transit = env["stock.quant"].search_read([("usage", "=", "transit")],
                                                 ["quantity", "value"])
        assert [(q["quantity"], q["value"]) for q in transit] == [(Decimal(4),
                                                                   Decimal("8600.00"))]
