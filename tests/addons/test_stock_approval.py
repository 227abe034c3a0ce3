"""Two-level approval of transfers (SA-003 step 3): 一审 by the keeper, 二审 by the inspector,
through the workflow engine; and the refusals (no approved order, wrong post, same person,
not enough stock)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import AccessError, UserError, ValidationError
from tests.addons.test_stock import (
    customer,
    main_stock,
    make_product,
    make_user,
    on_hand,
    picking_type,
    receive,
    transfer,
)

D = Decimal


@pytest.fixture
def shop(make_runtime):
    """Stock installed; a keeper, an inspector, a user holding both posts; 10 units in stock;
    a two-step type without the order requirement (the sales glue tests cover that one)."""
    runtime = make_runtime()
    runtime.manager.install(["stock"])
    with runtime.env() as env:
        ids = {
            "keeper": make_user(env, "keeper", ["stock.group_keeper"]),
            "inspector": make_user(env, "inspector", ["stock.group_inspector"]),
            "both": make_user(env, "both", ["stock.group_keeper", "stock.group_inspector"]),
            "clerk": make_user(env, "clerk", ["base.group_user"]),
            "product": make_product(env, "家用制氧机", "2150"),
            "customer": customer(env),
        }
        receive(env, ids["product"], 10, "2150")
        ids["stock"] = main_stock(env)
        ids["two_step"] = env["stock.picking.type"].create({
            "name": "发货 (no order needed)", "code": "internal", "sequence_code": "TX",
            "warehouse_id": env.ref_id("stock.warehouse_main"),
            "default_location_src_id": ids["stock"], "to_customer_transit": True,
            "two_step_approval": True})
        ids["sa003"] = picking_type(env, "internal", require_origin=True)
    runtime.ids = ids
    return runtime


def _shipment(env, ids, qty, type_key="two_step"):
    return transfer(env, "internal", [(ids["product"], qty)],
                    picking_type_id=ids[type_key], partner_id=ids["customer"])


def test_keeper_first_then_inspector_second(shop):
    ids = shop.ids
    with shop.env(uid=ids["keeper"]) as env:
        picking = _shipment(env, ids, 4)
        transit = env["stock.picking"].read([picking], ["location_dest_id"])[0][
            "location_dest_id"][0]
        assert env["stock.location"].read([transit], ["partner_id"])[0]["partner_id"][0] == \
            ids["customer"]
        with pytest.raises(UserError, match="一审"):
            env["stock.picking"].call("button_validate", [picking])
        assert env["stock.picking"].call("action_first_approval", [picking],
                                         comment="出库") == "approved"
        # 一审 reserved the goods: they can no longer be promised elsewhere
        assert on_hand(env, ids["product"], ids["stock"])[:2] == (D(10), D(4))
        with pytest.raises(AccessError):  # the keeper cannot give the second approval
            env["stock.picking"].call("action_second_approval", [picking])
    with shop.env(uid=ids["inspector"]) as env:
        assert env["stock.picking"].call("action_second_approval", [picking]) == "done"
        assert on_hand(env, ids["product"], ids["stock"])[:2] == (D(6), D(0))
        quantity, _r, value = on_hand(env, ids["product"], transit)
        assert quantity == D(4) and value == D("8600.00")  # still the company's stock, valued
        row = env["stock.picking"].read([picking], ["first_approval_uid", "second_approval_uid",
                                                    "date_done", "state"])[0]
        assert row["first_approval_uid"][0] == ids["keeper"]
        assert row["second_approval_uid"][0] == ids["inspector"]
        assert row["state"] == "done" and row["date_done"]
        history = env.sudo()["workflow.history"].search_read(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking)],
            ["transition", "user_id", "comment"], order="id")
        assert [(h["transition"], h["user_id"][0]) for h in history] == [
            ("first_approval", ids["keeper"]), ("second_approval", ids["inspector"])]
        assert history[0]["comment"] == "出库"


def test_same_person_cannot_give_both_approvals(shop):
    ids = shop.ids
    with shop.env(uid=ids["both"]) as env:
        picking = _shipment(env, ids, 2)
        env["stock.picking"].call("action_first_approval", [picking])
        with pytest.raises(AccessError, match="another person"):
            env["stock.picking"].call("action_second_approval", [picking])
        assert env["stock.picking"].read([picking], ["state"])[0]["state"] == "approved"


def test_inspector_cannot_give_the_first_approval_nor_a_clerk_either(shop):
    ids = shop.ids
    with shop.env(uid=ids["keeper"]) as env:
        picking = _shipment(env, ids, 2)
    for user in ("inspector", "clerk"):
        with shop.env(uid=ids[user]) as env:
            with pytest.raises(AccessError):
                env["stock.picking"].call("action_first_approval", [picking])
    with shop.env() as env:
        assert on_hand(env, ids["product"], ids["stock"])[1] == D(0)


def test_first_approval_refused_without_enough_stock_reserves_nothing(shop):
    ids = shop.ids
    with shop.env(uid=ids["keeper"]) as env:
        picking = _shipment(env, ids, 11)
        with pytest.raises(UserError, match="Not enough"):
            env["stock.picking"].call("action_first_approval", [picking])
        assert on_hand(env, ids["product"], ids["stock"])[1] == D(0)
        assert env["stock.picking"].read([picking], ["state"])[0]["state"] == "draft"


def test_partial_first_approval_leaves_a_backorder(shop):
    ids = shop.ids
    with shop.env(uid=ids["keeper"]) as env:
        picking = _shipment(env, ids, 8)
        move = env["stock.picking"].read([picking], ["move_ids"])[0]["move_ids"][0]
        env["stock.move"].write([move], {"quantity": D(5)})
        env["stock.picking"].call("action_first_approval", [picking])
        backorder = env["stock.picking"].search_read([("backorder_id", "=", picking)],
                                                     ["move_ids", "partner_id"])[0]
        assert backorder["partner_id"][0] == ids["customer"]
        assert env["stock.move"].read(backorder["move_ids"], ["product_uom_qty"])[0][
            "product_uom_qty"] == D(3)
        assert on_hand(env, ids["product"], ids["stock"])[1] == D(5)


def test_inspector_refuses_then_keeper_approves_again(shop):
    ids = shop.ids
    with shop.env(uid=ids["keeper"]) as env:
        picking = _shipment(env, ids, 3)
        env["stock.picking"].call("action_first_approval", [picking])
    with shop.env(uid=ids["inspector"]) as env:
        with pytest.raises(ValidationError, match="reason"):
            env["stock.picking"].call("action_refuse_inspection", [picking], reason=" ")
        assert env["stock.picking"].call("action_refuse_inspection", [picking],
                                         reason="包装破损") == "assigned"
        assert on_hand(env, ids["product"], ids["stock"])[1] == D(3)  # still reserved
    with shop.env(uid=ids["keeper"]) as env:
        assert env["stock.picking"].call("action_first_approval", [picking]) == "approved"
        assert on_hand(env, ids["product"], ids["stock"])[1] == D(3)  # not reserved twice


def test_no_transfer_to_transit_without_an_approved_order(shop):
    """The SA-003 type needs an approved order or contract; with stock alone nobody vouches for
    one, so the keeper's first approval is refused and nothing moves."""
    ids = shop.ids
    with shop.env(uid=ids["keeper"]) as env:
        picking = _shipment(env, ids, 1, "sa003")
        with pytest.raises(UserError, match="no approved sales order"):
            env["stock.picking"].call("action_first_approval", [picking])
        assert env["stock.picking"].read([picking], ["state"])[0]["state"] == "draft"
        assert on_hand(env, ids["product"], ids["stock"])[1] == D(0)
        with pytest.raises(ValidationError, match="customer"):
            env["stock.picking"].create({"picking_type_id": ids["sa003"]})


def test_cancel_gives_reservations_back(shop):
    ids = shop.ids
    with shop.env(uid=ids["keeper"]) as env:
        picking = transfer(env, "outgoing", [(ids["product"], 4)])
        env["stock.picking"].call("action_confirm", [picking])
        assert on_hand(env, ids["product"], ids["stock"])[1] == D(4)
        assert env["stock.picking"].call("action_cancel", [picking]) == "cancel"
        assert on_hand(env, ids["product"], ids["stock"])[1] == D(0)
        with pytest.raises(UserError):
            env["stock.picking"].call("button_validate", [picking])


def test_hook_stock_moves_done_and_stock_picking_done(shop):
    """Both hooks fire once, in the transaction, with the moves' values."""
    from core.plugins import hookimpl

    seen = []

    class Spy:
        @hookimpl
        def stock_moves_done(self, env, move_ids):
            seen.append(("moves", [tuple(r.values()) for r in env["stock.move"].read(
                move_ids, ["value", "state"])]))

        @hookimpl
        def stock_picking_done(self, env, picking):
            seen.append(("picking", picking.state != "cancel"))

    ids = shop.ids
    with shop.env(uid=ids["keeper"]) as env:
        spy = Spy()
        env.registry.pm.register(spy)
        try:
            picking = transfer(env, "outgoing", [(ids["product"], 1)])
            env["stock.picking"].call("button_validate", [picking])
        finally:
            env.registry.pm.unregister(spy)
    move = seen[0][1][0]
    assert seen[0][0] == "moves" and move[1:] == (D("2150.00"), "done")
    assert seen[1] == ("picking", True)
