"""purchase_stock: receipts from approved orders, partial receipts and backorders, inspection
rejects and returns, progress, amendments, reorder rules requesting purchases, and (PostgreSQL)
two receipts of the last open quantity."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest

from core.errors import AccessError, UserError, ValidationError
from core.testing import AddonTestCase
from tests.addons.test_purchase import Purchase, purchase_setup

KEEPER, INSPECTOR = ("stock.group_keeper",), ("stock.group_inspector",)


class TestPurchaseStockStructure(AddonTestCase):
    addon = "purchase_stock"


@pytest.fixture(name="p2p")
def p2p_fixture(make_runtime: Any) -> Purchase:
    runtime = make_runtime()
    runtime.manager.install(["purchase", "stock"])
    return purchase_setup(runtime, {"keeper": KEEPER, "inspector": INSPECTOR})


def receipts(p2p: Purchase, order: int, returns: bool = False) -> list[dict[str, Any]]:
    with p2p.env() as env:
        return env["stock.picking"].search_read(
            [("purchase_id", "=", order), ("is_purchase_return", "=", returns)],
            ["name", "state", "backorder_id", "move_ids"], order="id")


def receive(p2p: Purchase, picking: int, quantities: dict[int, str] | None = None) -> None:
    with p2p.env(p2p.keeper) as env:
        for move in env["stock.move"].search_read([("picking_id", "=", picking)],
                                                  ["product_id"]):
            qty = (quantities or {}).get(move["product_id"][0])
            if qty is not None:
                env["stock.move"].write([move["id"]], {"quantity": qty})
        env["stock.picking"].call("button_validate", [picking])


def test_partial_receipt_leaves_a_backorder_and_progress(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100"), (p2p.mask, "100", "10")])
    first = receipts(p2p, order)
    assert len(first) == 1 and first[0]["state"] in ("confirmed", "assigned")
    receive(p2p, first[0]["id"], {p2p.bp: "4"})
    got = receipts(p2p, order)
    assert got[0]["state"] == "done" and got[1]["state"] in ("draft", "confirmed", "assigned")
    assert got[1]["backorder_id"][0] == first[0]["id"]
    head = p2p.read("purchase.order", order, "received_percent", "receipt_status",
                    "amount_received")
    assert head["receipt_status"] == "partial"
    assert head["amount_received"] == Decimal("1582.00")  # (4×100 + 100×10) × 1.13
    receive(p2p, got[1]["id"])
    head = p2p.read("purchase.order", order, "received_percent", "receipt_status")
    assert head == {"id": order, "received_percent": Decimal("100.00"), "receipt_status": "full"}
    with p2p.env() as env:
        quants = env["stock.quant"].search_read([("product_id", "=", p2p.bp),
                                                 ("location_id.usage", "=", "internal")],
                                                ["quantity", "value"])
    assert sum(Decimal(q["quantity"]) for q in quants) == Decimal("10")
    assert sum(Decimal(q["value"]) for q in quants) == Decimal("1000.00")  # at the order price


def test_over_receipt_is_refused(p2p):
    order = p2p.approved_order([(p2p.bp, "5", "100")])
    picking = receipts(p2p, order)[0]["id"]
    with pytest.raises(UserError):
        receive(p2p, picking, {p2p.bp: "6"})
    assert receipts(p2p, order)[0]["state"] != "done"


def test_inspection_rejects_go_back_to_the_supplier(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"])
    with p2p.env(p2p.inspector) as env:
        inspection = env["purchase.inspection"].search([("purchase_id", "=", order)])[0]
        line = env["purchase.inspection.line"].search([("inspection_id", "=", inspection)])[0]
        env["purchase.inspection.line"].write([line], {"qty_rejected": "3"})
    with pytest.raises(ValidationError):  # a rejection needs its reason
        p2p.call(p2p.inspector, "purchase.inspection", "action_confirm", inspection)
    with p2p.env(p2p.inspector) as env:
        env["purchase.inspection.line"].write([line], {"reject_reason": "外壳破损"})
        got = env["purchase.inspection.line"].read([line], ["qty_accepted"])[0]
    assert got["qty_accepted"] == Decimal("7")
    with pytest.raises(AccessError):  # the keeper does not inspect
        p2p.call(p2p.keeper, "purchase.inspection", "action_confirm", inspection)
    p2p.call(p2p.inspector, "purchase.inspection", "action_confirm", inspection)
    back = receipts(p2p, order, returns=True)
    assert len(back) == 1
    receive(p2p, back[0]["id"])
    with p2p.env() as env:
        line = env["purchase.order.line"].search_read([("order_id", "=", order)],
                                                      ["qty_received", "qty_returned"])[0]
    assert (line["qty_received"], line["qty_returned"]) == (Decimal("7"), Decimal("3"))
    # the supplier replaces the rejected goods: the buyer asks to receive the rest
    replacement = p2p.call(p2p.buyer, "purchase.order", "action_create_receipt", order)
    with p2p.env() as env:
        move = env["stock.move"].search_read([("picking_id", "=", replacement)],
                                             ["product_uom_qty"])[0]
    assert move["product_uom_qty"] == Decimal("3")


def test_a_buyer_reads_only_the_inspections_of_own_orders(p2p):
    mine = p2p.approved_order([(p2p.bp, "2", "100")])
    theirs = p2p.approved_order([(p2p.mask, "5", "10")], uid=p2p.buyer2)
    for order in (mine, theirs):
        receive(p2p, receipts(p2p, order)[0]["id"])
    with p2p.env(p2p.buyer) as env:
        seen = env["purchase.inspection"].search_read([], ["purchase_id"])
        lines = env["purchase.inspection.line"].search_read([], ["product_id"])
    assert [row["purchase_id"][0] for row in seen] == [mine]
    assert [row["product_id"][0] for row in lines] == [p2p.bp]
    with p2p.env(p2p.manager) as env:
        assert env["purchase.inspection"].search_count([]) == 2


def test_amendment_replaces_the_open_receipt(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"], {p2p.bp: "4"})
    p2p.call(p2p.buyer, "purchase.order", "action_amend", order, "追加数量")
    with p2p.env(p2p.buyer) as env:
        line = env["purchase.order.line"].search([("order_id", "=", order)])[0]
        with pytest.raises(ValidationError):  # never below what was received
            env["purchase.order.line"].write([line], {"product_qty": "3"})
    with p2p.env(p2p.buyer) as env:
        env["purchase.order.line"].write([line], {"product_qty": "20"})
    p2p.call(p2p.buyer, "purchase.order", "action_submit", order)
    p2p.call(p2p.manager, "purchase.order", "workflow_approve", order)
    states = [(r["state"], len(r["move_ids"])) for r in receipts(p2p, order)]
    assert states[0] == ("done", 1) and states[1][0] == "cancel"
    with p2p.env() as env:
        open_moves = env["stock.move"].search_read(
            [("purchase_line_id", "=", line), ("state", "not in", ("done", "cancel"))],
            ["product_uom_qty"])
    assert [m["product_uom_qty"] for m in open_moves] == [Decimal("16")]


def test_hook_purchase_order_approved_amended_cancelled(p2p):
    order = p2p.approved_order([(p2p.bp, "2", "100")])  # approved: a receipt
    assert len(receipts(p2p, order)) == 1
    p2p.call(p2p.buyer, "purchase.order", "action_amend", order, "改交期")  # amended: cancelled
    assert receipts(p2p, order)[0]["state"] == "cancel"
    p2p.call(p2p.buyer, "purchase.order", "action_cancel", order, "不再需要")
    assert p2p.read("purchase.order", order, "state")["state"] == "cancel"


test_hook_purchase_order_approved = test_hook_purchase_order_approved_amended_cancelled
test_hook_purchase_order_amended = test_hook_purchase_order_approved_amended_cancelled
test_hook_purchase_order_cancelled = test_hook_purchase_order_approved_amended_cancelled


def test_reorder_rules_request_purchases(p2p):
    with p2p.env() as env:
        warehouse = env.ref_id("stock.warehouse_main")
        env["stock.warehouse.orderpoint"].create({"product_id": p2p.mask,
                                                  "warehouse_id": warehouse,
                                                  "product_min_qty": "50",
                                                  "product_max_qty": "200"})
        made = env["stock.warehouse.orderpoint"].create_purchase_requests()
        again = env["stock.warehouse.orderpoint"].create_purchase_requests()
        request = env["purchase.request"].read([made], ["origin", "state", "line_ids"])[0]
        line = env["purchase.request.line"].read(request["line_ids"], ["product_qty"])[0]
    assert again is None
    assert (request["origin"], request["state"]) == ("reorder", "to_approve")
    assert line["product_qty"] == Decimal("200")


def run_job(p2p: Purchase, code: str) -> int:
    """Make the scheduled job ``code`` due and let the scheduler run it; its ``ir.cron`` id."""
    from core.jobs import queue_of
    from core.jobs.runner import tick
    from core.testing import due_now

    with p2p.env() as env:
        cron = due_now(env, [code])
        env.session.commit()
        queue = queue_of(env)
    assert len(tick(queue)) == 1
    return cron[0]


def test_replenishment_runs_as_a_scheduled_job(p2p):
    with p2p.env() as env:
        env["stock.warehouse.orderpoint"].create({
            "product_id": p2p.bp, "warehouse_id": env.ref_id("stock.warehouse_main"),
            "product_min_qty": "10", "product_max_qty": "40"})
    run_job(p2p, "purchase_stock.job_replenish")
    with p2p.env() as env:
        lines = env["purchase.request.line"].search_read([("product_id", "=", p2p.bp)],
                                                         ["product_qty", "request_state"])
    assert [(line["product_qty"], line["request_state"]) for line in lines] == [
        (Decimal("40"), "to_approve")]


def test_stock_replenishment_job_requests_purchases_not_todos(p2p):
    """With purchase installed, stock's own replenishment job (stock_replenish hook) makes one
    purchase request for the warehouse's rules below minimum, and no to-do for the stock
    managers (without purchase it plans one: tests/test_platform_jobs.py)."""
    from core.jobs import queue_of
    from core.jobs.runner import run_cron

    with p2p.env() as env:
        manager = env["res.users"].create({"login": "sun", "name": "孙仓管", "groups_id": [
            (6, 0, [env.ref_id("stock.group_manager")])]})
        warehouse = env.ref_id("stock.warehouse_main")
        env["stock.warehouse.orderpoint"].create([
            {"product_id": product, "warehouse_id": warehouse, "product_min_qty": "10",
             "product_max_qty": "40"} for product in (p2p.bp, p2p.mask)])
        cron = env["ir.cron"].search([("code", "=", "stock.job_replenish")])[0]
        queue = queue_of(env)
    run_cron(queue, cron)
    run_cron(queue, cron)  # the next day: the open request covers them
    with p2p.env() as env:
        assert env["ir.cron"].read([cron], ["state"])[0]["state"] == "done"
        lines = env["purchase.request.line"].search_read([], ["request_id", "product_id",
                                                              "product_qty"])
        assert env["mail.activity"].search_count([("user_id", "=", manager)]) == 0
    assert len({line["request_id"][0] for line in lines}) == 1
    assert sorted((line["product_id"][0], line["product_qty"]) for line in lines) == sorted(
        [(p2p.bp, Decimal("40")), (p2p.mask, Decimal("40"))])


@pytest.mark.skipif("not __import__('tests.conftest').conftest.PG_URL",
                    reason="row locks need PostgreSQL")
def test_two_receipts_of_the_last_open_quantity_one_wins(p2p):
    order = p2p.approved_order([(p2p.bp, "5", "100")])
    first = receipts(p2p, order)[0]["id"]
    with p2p.env() as env:  # a second receipt of the same 5 (entered by hand)
        ptype = env["stock.picking"].read([first], ["picking_type_id"])[0]["picking_type_id"][0]
        line = env["purchase.order.line"].search([("order_id", "=", order)])[0]
        second = env["stock.picking"].create({"picking_type_id": ptype, "move_ids": [
            (0, 0, {"product_id": p2p.bp, "product_uom_qty": "5", "price_unit": "100"})]})
        env["stock.picking"].browse_unchecked([second])[0].purchase_id = order
        move = env["stock.move"].search([("picking_id", "=", second)])[0]
        env["stock.move"].browse_unchecked([move])[0].purchase_line_id = line
    barrier, outcome = threading.Barrier(2), {}

    def run(picking: int) -> None:
        try:
            with p2p.env(p2p.keeper) as env:
                barrier.wait()
                env["stock.picking"].call("button_validate", [picking])
            outcome[picking] = "done"
        except UserError as exc:
            outcome[picking] = exc.message

    threads = [threading.Thread(target=run, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(v == "done" for v in outcome.values()) == [False, True], outcome
    with p2p.env() as env:
        line = env["purchase.order.line"].read([line], ["qty_received"])[0]
    assert line["qty_received"] == Decimal("5")
