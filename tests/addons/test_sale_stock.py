"""The sales–stock glue (SA-003 steps 1-6 across the two addons): an approved delivery notice
makes the transfer to the customer's transit location, the keeper's 一审 and the inspector's
二审 ship the notice, invoicing moves the goods out of transit; and the refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import UserError
from core.testing import AddonTestCase
from tests.addons.test_stock import make_product, make_user, on_hand, receive

D = Decimal


class TestSaleStockStructure(AddonTestCase):
    addon = "sale_stock"


@pytest.fixture
def sa003(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["sales", "stock"])
    with runtime.env() as env:
        ids = {
            "assistant": make_user(env, "assistant", ["sales.group_assistant"]),
            "manager": make_user(env, "manager", ["sales.group_manager"]),
            "keeper": make_user(env, "keeper", ["stock.group_keeper"]),
            "inspector": make_user(env, "inspector", ["stock.group_inspector"]),
            "customer": env["res.partner"].create({"name": "杭州仁和大药房连锁有限公司",
                                                   "is_company": True}),
            "oxygen": make_product(env, "家用制氧机 (5L)", "2150", code="KY-OX05"),
            "chair": make_product(env, "折叠轮椅", "736", code="KY-WC01"),
        }
        env["product.product"].write([ids["oxygen"]], {"list_price": D("3680")})
        env["product.product"].write([ids["chair"]], {"list_price": D("1280")})
        receive(env, ids["oxygen"], 20, "2150")
        receive(env, ids["chair"], 10, "736")
        ids["stock"] = env.ref("stock.warehouse_main").lot_stock_id
    runtime.ids = ids
    return runtime


def _approved_order(runtime, lines):
    ids = runtime.ids
    with runtime.env(uid=ids["assistant"]) as env:
        order = env["sale.order"].create({
            "partner_id": ids["customer"],
            "order_line": [(0, 0, {"product_id": ids[p], "product_uom_qty": D(q)})
                           for p, q in lines]})
        env["sale.order"].call("action_submit", [order])
    with runtime.env(uid=ids["manager"]) as env:
        env["sale.order"].call("workflow_approve", [order])
    return order


def _approved_notice(runtime, order, quantities=None):
    with runtime.env(uid=runtime.ids["assistant"]) as env:
        notice = env["sale.order"].call("action_create_delivery_notice", [order])
        for line in env["sale.delivery.notice.line"].search_read([("notice_id", "=", notice)],
                                                                 ["product_id"]):
            if quantities and line["product_id"][0] in quantities:
                env["sale.delivery.notice.line"].write(
                    [line["id"]], {"product_uom_qty": quantities[line["product_id"][0]]})
        env["sale.delivery.notice"].call("action_approve", [notice])
        ref = env["sale.delivery.notice"].read([notice], ["shipping_ref"])[0]["shipping_ref"]
    return notice, ref


def _picking_of(env, notice):
    return env["stock.picking"].search([("delivery_notice_id", "=", notice)], order="id")


def test_sa003_order_to_goods_in_transit_to_invoiced(sa003):
    ids = sa003.ids
    order = _approved_order(sa003, [("oxygen", "4"), ("chair", "2")])
    notice, ref = _approved_notice(sa003, order)
    with sa003.env(uid=ids["keeper"]) as env:
        [picking] = _picking_of(env, notice)
        row = env["stock.picking"].read([picking], ["name", "state", "location_dest_id",
                                                    "sale_id", "origin"])[0]
        assert ref == row["name"] and row["state"] == "draft" and row["sale_id"][0] == order
        transit = row["location_dest_id"][0]
        assert env["stock.location"].read([transit], ["usage", "partner_id"])[0][
            "partner_id"][0] == ids["customer"]
        assert env["stock.picking"].call("action_first_approval", [picking]) == "approved"
        assert on_hand(env, ids["oxygen"], ids["stock"])[:2] == (D(20), D(4))
    with sa003.env(uid=ids["inspector"]) as env:
        assert env["stock.picking"].call("action_second_approval", [picking]) == "done"
        assert on_hand(env, ids["oxygen"], transit)[::2] == (D(4), D("8600.00"))
        assert on_hand(env, ids["chair"], transit)[::2] == (D(2), D("1472.00"))
    with sa003.env(uid=ids["assistant"]) as env:
        notice_row = env["sale.delivery.notice"].read([notice], ["state"])[0]
        assert notice_row["state"] == "done"  # shipped by the warehouse, not by hand
        order_row = env["sale.order"].read([order], ["delivery_status"])[0]
        assert order_row["delivery_status"] == "full"
        # invoice 3 of the 4 oxygen concentrators (and both chairs)
        invoice = env["sale.order"].call("action_create_invoice_notice", [order])
        for line in env["sale.invoice.notice.line"].search_read([("notice_id", "=", invoice)],
                                                                ["product_id"]):
            if line["product_id"][0] == ids["oxygen"]:
                env["sale.invoice.notice.line"].write([line["id"]], {"quantity": D(3)})
        env["sale.invoice.notice"].call("action_review", [invoice])
        env["sale.invoice.notice"].call("action_send", [invoice])
        env["sale.invoice.notice"].call("action_invoice", [invoice], "04419823")
    with sa003.env() as env:
        assert on_hand(env, ids["oxygen"], transit)[::2] == (D(1), D("2150.00"))
        assert on_hand(env, ids["chair"], transit)[0] == D(0)
        customers = env.ref_id("stock.stock_location_customers")
        assert on_hand(env, ids["oxygen"], customers)[::2] == (D(3), D("6450.00"))  # COGS
        consumption = env["stock.picking"].search_read([("invoice_notice_id", "=", invoice)],
                                                       ["state", "location_id"])
        assert consumption[0]["state"] == "done" and consumption[0]["location_id"][0] == transit


def test_partial_shipment_with_backorder_ships_the_notice_at_the_end(sa003):
    ids = sa003.ids
    order = _approved_order(sa003, [("oxygen", "6")])
    notice, _ref = _approved_notice(sa003, order)
    with sa003.env(uid=ids["keeper"]) as env:
        [picking] = _picking_of(env, notice)
        move = env["stock.picking"].read([picking], ["move_ids"])[0]["move_ids"][0]
        env["stock.move"].write([move], {"quantity": D(4)})
        env["stock.picking"].call("action_first_approval", [picking])
        first, backorder = _picking_of(env, notice)
    with sa003.env(uid=ids["inspector"]) as env:
        env["stock.picking"].call("action_second_approval", [first])
        assert env["sale.delivery.notice"].read([notice], ["state"])[0]["state"] == "approved"
    with sa003.env(uid=ids["keeper"]) as env:
        env["stock.picking"].call("action_first_approval", [backorder])  # the notice backs it
    with sa003.env(uid=ids["inspector"]) as env:
        env["stock.picking"].call("action_second_approval", [backorder])
        assert env["sale.delivery.notice"].read([notice], ["state"])[0]["state"] == "done"


def test_cancelled_backorder_ships_what_left(sa003):
    ids = sa003.ids
    order = _approved_order(sa003, [("chair", "5")])
    notice, _ref = _approved_notice(sa003, order)
    with sa003.env(uid=ids["keeper"]) as env:
        [picking] = _picking_of(env, notice)
        move = env["stock.picking"].read([picking], ["move_ids"])[0]["move_ids"][0]
        env["stock.move"].write([move], {"quantity": D(3)})
        env["stock.picking"].call("action_first_approval", [picking])
        backorder = _picking_of(env, notice)[1]
    with sa003.env(uid=ids["inspector"]) as env:
        env["stock.picking"].call("action_second_approval", [picking])
    with sa003.env(uid=ids["keeper"]) as env:
        env["stock.picking"].call("action_cancel", [backorder])
    with sa003.env() as env:
        assert env["sale.delivery.notice"].read([notice], ["state"])[0]["state"] == "done"
        line = env["sale.delivery.notice.line"].search_read([("notice_id", "=", notice)],
                                                            ["product_uom_qty"])[0]
        assert line["product_uom_qty"] == D(3)


def test_no_first_approval_once_the_notice_is_cancelled(sa003):
    ids = sa003.ids
    order = _approved_order(sa003, [("chair", "1")])
    notice, _ref = _approved_notice(sa003, order)
    with sa003.env(uid=ids["assistant"]) as env:
        env["sale.delivery.notice"].call("action_cancel", [notice])
    with sa003.env(uid=ids["keeper"]) as env:
        [picking] = _picking_of(env, notice)
        with pytest.raises(UserError, match="no approved sales order"):
            env["stock.picking"].call("action_first_approval", [picking])


def test_notice_cannot_be_shipped_by_hand_once_the_warehouse_has_it(sa003):
    ids = sa003.ids
    order = _approved_order(sa003, [("chair", "1")])
    notice, _ref = _approved_notice(sa003, order)
    with sa003.env(uid=ids["assistant"]) as env:
        with pytest.raises(UserError, match="warehouse"):
            env["sale.delivery.notice"].call("action_ship", [notice])


def test_installing_stock_after_sales_switches_the_glue_on(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["sales"])
    with runtime.env() as env:
        assert "stock.picking" not in env.registry
    runtime.manager.install(["stock"])
    with runtime.env() as env:
        assert env.registry.pm.get_plugin("sale_stock") is not None  # the glue came along
        assert "delivery_notice_id" in env["stock.picking"].fields
        assert env.ref("sale_stock.warehouse_sales", raise_if_not_found=False) is not None
    runtime.manager.uninstall(["sale_stock"])
    with runtime.env() as env:
        assert "delivery_notice_id" not in env["stock.picking"].fields
        assert env.ref("stock.warehouse_main") is not None  # the marker did not take it along
