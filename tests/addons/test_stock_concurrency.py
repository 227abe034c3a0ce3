"""Two transfers competing for the last units in two transactions at the same time: they cannot
both succeed. On PostgreSQL the second waits on the quant's row lock (``SELECT … FOR UPDATE``)
until the first commits, then sees nothing left and is refused with a clear message. SQLite lets
one writer at a time: the second waits for the first's write lock and then fails its stale
transaction ("database is locked"), so it cannot oversell either."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy.exc import OperationalError

from core.errors import UserError
from tests.addons.test_stock import (
    customer,
    main_stock,
    make_product,
    make_user,
    on_hand,
    receive,
    transfer,
)
from tests.conftest import PG_URL

D = Decimal


@pytest.fixture
def contested(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["stock"])
    with runtime.env() as env:
        keeper = make_user(env, "keeper", ["stock.group_keeper"])
        product = make_product(env, "家用制氧机", "2150")
        receive(env, product, 5, "2150")
        two_step = env["stock.picking.type"].create({
            "name": "发货", "code": "internal", "sequence_code": "TX",
            "warehouse_id": env.ref_id("stock.warehouse_main"),
            "default_location_src_id": main_stock(env), "to_customer_transit": True,
            "two_step_approval": True})
        partner = customer(env)
        pickings = {
            "button_validate": [transfer(env, "outgoing", [(product, 4)]),
                                transfer(env, "outgoing", [(product, 3)])],
            "action_first_approval": [
                transfer(env, "internal", [(product, 4)], picking_type_id=two_step,
                         partner_id=partner),
                transfer(env, "internal", [(product, 3)], picking_type_id=two_step,
                         partner_id=partner)],
        }
        runtime.case = {"keeper": keeper, "product": product, "stock": main_stock(env),
                        "pickings": pickings}
    return runtime


@pytest.mark.parametrize("method", ["button_validate", "action_first_approval"])
def test_two_concurrent_transfers_for_the_last_units(contested, method):
    case = contested.case
    first_id, second_id = case["pickings"][method]
    first_done, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with contested.env(uid=case["keeper"]) as env:
                env["stock.picking"].call(method, [first_id])
                first_done.set()
                release.wait(10)  # keep the transaction (and its locks) open a while
            outcome["first"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            outcome["first"] = exc
            first_done.set()

    def second() -> None:
        try:
            with contested.env(uid=case["keeper"]) as env:
                env["stock.picking"].call(method, [second_id])
            outcome["second"] = "ok"
        except Exception as exc:  # noqa: BLE001
            outcome["second"] = exc

    one = threading.Thread(target=first)
    one.start()
    assert first_done.wait(10)
    two = threading.Thread(target=second)
    two.start()
    time.sleep(0.5)
    if PG_URL:
        assert two.is_alive(), "the second transfer should wait for the first one's row locks"
    release.set()
    one.join(30)
    two.join(60)
    assert outcome["first"] == "ok"
    refused = outcome["second"]
    if PG_URL:
        assert isinstance(refused, UserError) and "Not enough" in str(refused)
    else:
        assert isinstance(refused, (UserError, OperationalError)), refused
    with contested.env() as env:
        quantity, reserved, _value = on_hand(env, case["product"], case["stock"])
        if method == "button_validate":
            assert (quantity, reserved) == (D(1), D(0))
        else:
            assert (quantity, reserved) == (D(5), D(4))
        states = {r["id"]: r["state"] for r in env["stock.picking"].read(
            [first_id, second_id], ["state"])}
        assert states[first_id] in ("done", "approved") and states[second_id] == "draft"
