"""Property test: after any sequence of stock operations (receipts, deliveries, internal
transfers, reservations, partial validations, counts), every quant equals the sum of the done
moves in and out of its location, in quantity and in value, and reservations match."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.errors import UserError
from tests.addons.test_stock import make_product, receive, transfer

D = Decimal

OPERATION = st.one_of(
    st.tuples(st.just("receive"), st.integers(0, 2), st.integers(0, 1), st.integers(1, 20),
              st.integers(1, 500)),
    st.tuples(st.just("deliver"), st.integers(0, 2), st.integers(0, 1), st.integers(1, 15),
              st.just(0)),
    st.tuples(st.just("move"), st.integers(0, 2), st.integers(0, 1), st.integers(1, 15),
              st.just(0)),
    st.tuples(st.just("reserve"), st.integers(0, 2), st.integers(0, 1), st.integers(1, 15),
              st.just(0)),
    st.tuples(st.just("partial"), st.integers(0, 2), st.integers(0, 1), st.integers(2, 15),
              st.integers(1, 9)),
    st.tuples(st.just("count"), st.integers(0, 2), st.integers(0, 1), st.integers(0, 25),
              st.just(0)),
)


@pytest.fixture
def world(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["stock"])
    with runtime.env() as env:
        stock = env.ref("stock.warehouse_main").lot_stock_id
        shelf = env["stock.location"].create({"name": "货架A", "location_id": stock})
        runtime.world = {"products": [make_product(env, f"产品{i}", "10") for i in range(3)],
                         "locations": [stock, shelf]}
    return runtime


def _apply(env, world, op):
    kind, p, loc, qty, extra = op
    product, location = world["products"][p], world["locations"][loc]
    other = world["locations"][1 - loc]
    pickings = env["stock.picking"]
    if kind == "receive":
        receive(env, product, qty, extra, location)
    elif kind == "deliver":
        pickings.call("button_validate", [transfer(env, "outgoing", [(product, qty)],
                                                    location_id=location)])
    elif kind == "move":
        pickings.call("button_validate", [transfer(env, "internal", [(product, qty)],
                                                    location_id=location,
                                                    location_dest_id=other)])
    elif kind == "reserve":
        pickings.call("action_confirm", [transfer(env, "outgoing", [(product, qty)],
                                                   location_id=location)])
    elif kind == "partial":
        picking = transfer(env, "outgoing", [(product, qty)], location_id=location)
        move = pickings.read([picking], ["move_ids"])[0]["move_ids"][0]
        env["stock.move"].write([move], {"quantity": D(min(extra, qty))})
        pickings.call("button_validate", [picking])
    elif kind == "count":
        count = env["stock.inventory"].create({"location_id": location})
        env["stock.inventory.line"].create({"inventory_id": count, "product_id": product,
                                            "location_id": location, "product_qty": D(qty)})
        env["stock.inventory"].call("action_start", [count])
        env["stock.inventory"].call("action_validate", [count])
        manager = world.setdefault("manager", env["res.users"].create({
            "login": "mgr", "name": "Manager",
            "groups_id": [(6, 0, [env.ref_id("stock.group_manager")])]}))
        env(uid=manager)["stock.inventory"].call("workflow_approve", [count])


def _check_invariant(env):
    registry, session = env.registry, env.session
    move, quant = registry["stock.move"], registry["stock.quant"]
    sums = {}
    for column, sign in ((move.location_dest_id, 1), (move.location_id, -1)):
        rows = session.execute(select(move.product_id, column, func.sum(move.product_qty),
                                      func.sum(move.value))
                               .where(move.state == "done").group_by(move.product_id, column))
        for product, location, qty, value in rows:
            q, v = sums.get((product, location), (D(0), D(0)))
            sums[(product, location)] = (q + sign * D(qty), v + sign * D(value))
    reserved = dict(((p, loc), D(r)) for p, loc, r in session.execute(
        select(move.product_id, move.location_id, func.sum(move.reserved_qty))
        .where(move.state.not_in(("done", "cancel"))).group_by(move.product_id,
                                                                move.location_id)))
    quants = list(session.execute(select(quant.product_id, quant.location_id, quant.quantity,
                                         quant.value, quant.reserved_quantity,
                                         quant.available_quantity, quant.usage)))
    assert {(q.product_id, q.location_id) for q in quants if q.quantity or q.value} == {
        k for k, (qty, value) in sums.items() if qty or value}
    for q in quants:
        qty, value = sums.get((q.product_id, q.location_id), (D(0), D(0)))
        assert D(q.quantity) == qty and D(q.value) == value, (q, qty, value)
        assert D(q.reserved_quantity) == reserved.get((q.product_id, q.location_id), D(0))
        assert D(q.available_quantity) == D(q.quantity) - D(q.reserved_quantity)
        if q.usage == "internal":
            assert q.quantity >= 0 and q.reserved_quantity <= q.quantity  # no overselling
    total = session.execute(select(func.sum(quant.quantity), func.sum(quant.value))).one()
    assert D(total[0] or 0) == 0 and D(total[1] or 0) == 0  # double entry


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATION, min_size=1, max_size=15))
def test_quants_always_equal_the_sum_of_done_moves(world, operations):
    with world.env() as env:
        for op in operations:
            try:
                _apply(env, world.world, op)
            except UserError:
                pass  # refused operations (not enough stock) must leave nothing behind
        _check_invariant(env)
