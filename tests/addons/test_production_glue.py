"""sale_production and production_purchase: material planning with the sales demand of approved
orders (make to order: one order per sales order, stock ignored), the suppliers' lead times,
purchase requests from confirmed proposals, and the requests counted as supply next time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from core.testing import AddonTestCase
from core.workflow_engine import approve
from tests.addons.test_production import receive

D = Decimal
POSTS = {"planner": "production.group_planner", "workshop": "production.group_workshop",
         "assistant": "sales.group_assistant", "manager": "sales.group_manager",
         "buyer_manager": "purchase.group_manager"}


class TestSaleProductionStructure(AddonTestCase):
    addon = "sale_production"


class TestProductionPurchaseStructure(AddonTestCase):
    addon = "production_purchase"


@pytest.fixture(name="mto")
def mto_fixture(make_runtime: Any) -> tuple[Any, dict[str, int]]:
    return mto_setup(make_runtime())


def mto_setup(runtime: Any) -> tuple[Any, dict[str, int]]:
    runtime.manager.install(["sales", "purchase", "production"], demo=False)
    with runtime.env() as env:
        ids = {login: env["res.users"].create({"login": login, "name": login.title(),
                                               "groups_id": [(6, 0, [env.ref_id(group)])]})
               for login, group in POSTS.items()}
        products = env["product.product"]
        ids["F"] = products.create({"name": "家用制氧机", "type": "product",
                                    "produce_to_order": True, "list_price": D(3680)})
        ids["A"] = products.create({"name": "压缩机", "type": "product",
                                    "standard_price": D(300)})
        ids["supplier"] = env["res.partner"].create({"name": "宁波压缩机厂", "is_company": True})
        env["product.supplierinfo"].create([
            {"partner_id": ids["supplier"], "product_id": ids["A"], "price": D(300),
             "delay": 5},
            {"partner_id": ids["supplier"], "product_id": ids["A"], "price": D(290),
             "delay": 9, "min_qty": 100}])
        env["mrp.bom"].create({"product_id": ids["F"], "produce_delay": 2, "bom_line_ids": [
            (0, 0, {"product_id": ids["A"], "product_qty": 2, "scrap_rate": 10})]})
        receive(env, ids["F"], 10, "2000")  # made to order: the stock does not count
        ids["customer"] = env["res.partner"].create({"name": "杭州仁和大药房", "is_company": True})
    return runtime, ids


def _approved_order(runtime: Any, ids: dict[str, int], qty: int, due: dt.date) -> str:
    with runtime.env(uid=ids["assistant"], su=False) as env:
        order = env["sale.order"].create({
            "partner_id": ids["customer"], "commitment_date": due,
            "order_line": [(0, 0, {"product_id": ids["F"], "product_uom_qty": qty})]})
        env["sale.order"].call("action_submit", [order])
    with runtime.env(uid=ids["manager"], su=False) as env:
        env["sale.order"].call("workflow_approve", [order])
        return env["sale.order"].read([order], ["name", "state"])[0]["name"]


def _run(runtime: Any, ids: dict[str, int]) -> tuple[int, list[dict[str, Any]]]:
    with runtime.env(uid=ids["planner"], su=False) as env:
        run = env["mrp.run"].create({})
        env["mrp.run"].call("action_run", [run])
        return run, env["mrp.proposal"].search_read(
            [("run_id", "=", run)], ["kind", "product_id", "product_qty", "origin",
                                     "date_start", "date_due"], order="kind, origin")


def test_make_to_order_sales_demand_and_purchase_requests(mto):
    runtime, ids = mto
    due = dt.date.today() + dt.timedelta(days=20)
    first = _approved_order(runtime, ids, 3, due)
    second = _approved_order(runtime, ids, 2, due + dt.timedelta(days=5))
    with runtime.env() as env:  # each approval planned at once, in a background job
        runs = env["mrp.run"].search_read([], ["proposal_count", "state"], order="id")
    assert [(r["state"], r["proposal_count"]) for r in runs] == [("done", 2), ("done", 3)]
    run, rows = _run(runtime, ids)
    made = [(r["kind"], r["product_id"][0], r["product_qty"], r["origin"], r["date_start"],
             r["date_due"]) for r in rows]
    day = dt.timedelta(days=1)
    assert made == [
        ("manufacture", ids["F"], D(3), first, due - 2 * day, due),
        ("manufacture", ids["F"], D(2), second, due + 3 * day, due + 5 * day),
        # 5 × 2 × 1.1 compressors, ordered the shortest supplier lead time (5 days) before the
        # first order starts
        ("purchase", ids["A"], D(11), ", ".join(sorted([first, second])), due - 7 * day,
         due - 2 * day)]
    with runtime.env(uid=ids["planner"], su=False) as env:
        assert env["mrp.run"].call("action_confirm_proposals", [run]) == (
            "3 proposals confirmed.")
        orders = env["mrp.production"].search_read([], ["origin", "product_qty", "state"],
                                                   order="id")
        request = env["purchase.request"].search_read([], ["origin", "state", "line_ids"])
    assert [(o["origin"], o["product_qty"], o["state"]) for o in orders] == [
        (first, D(3), "to_approve"), (second, D(2), "to_approve")]
    assert [(r["origin"], r["state"]) for r in request] == [("planning", "to_approve")]
    with runtime.env() as env:
        line = env["purchase.request.line"].read(request[0]["line_ids"], ["product_id",
                                                                          "product_qty"])[0]
    assert (line["product_id"][0], line["product_qty"]) == (ids["A"], D(11))
    with runtime.env(uid=ids["workshop"], su=False) as env:  # approved: still covers it
        approve(env, "mrp.production", orders[0]["id"])
    assert _run(runtime, ids)[1] == []  # orders and the open request cover everything


def test_sales_lines_in_other_units_are_planned_in_the_products_units(mto):
    """A make-to-order line of 1 box of 10 and one of 3 pieces of the same order: planning
    makes 13 pieces and buys 2 × 13 × 1.1 = 28.6 compressors."""
    runtime, ids = mto
    due = dt.date.today() + dt.timedelta(days=20)
    with runtime.env(uid=ids["assistant"], su=False) as env:
        order = env["sale.order"].create({
            "partner_id": ids["customer"], "commitment_date": due, "order_line": [
                (0, 0, {"product_id": ids["F"], "product_uom_qty": 1,
                        "product_uom": env.ref_id("product.uom_box10")}),
                (0, 0, {"product_id": ids["F"], "product_uom_qty": 3})]})
        env["sale.order"].call("action_submit", [order])
    with runtime.env(uid=ids["manager"], su=False) as env:
        env["sale.order"].call("workflow_approve", [order])
        name = env["sale.order"].read([order], ["name"])[0]["name"]
    rows = _run(runtime, ids)[1]
    assert [(r["kind"], r["product_id"][0], r["product_qty"], r["origin"]) for r in rows] == [
        ("manufacture", ids["F"], D(13), name), ("purchase", ids["A"], D("28.6"), name)]


def test_a_finished_make_to_order_order_covers_its_sale_until_delivered(mto):
    """The order made for a sale passed its inspection: its goods wait in stock for the
    delivery notice, not reserved yet; planning must not propose them again."""
    runtime, ids = mto
    name = _approved_order(runtime, ids, 3, dt.date.today() + dt.timedelta(days=20))
    with runtime.env() as env:
        receive(env, ids["A"], 20, "300")
    run, _rows = _run(runtime, ids)
    with runtime.env(uid=ids["planner"], su=False) as env:
        env["mrp.run"].call("action_confirm_proposals", [run])
        production = env["mrp.production"].search([("origin", "=", name)])[0]
    with runtime.env(uid=ids["workshop"], su=False) as env:
        approve(env, "mrp.production", production)
    with runtime.env() as env:  # the keeper, the workshop and the inspector, quickly
        issue = env["stock.picking"].search([("production_id", "=", production)])[0]
        env["stock.picking"].call("button_validate", [issue])
        for step in ("action_start", "action_produce", "action_inspect"):
            env["mrp.production"].call(step, [production])
        assert env["mrp.production"].read([production], ["state"])[0]["state"] == "done"
    assert _run(runtime, ids)[1] == []


def test_the_planner_makes_the_orders_of_a_sale_from_its_form(make_app):
    """生产计划员: 生产管理 › 计划 lists the approved orders with make-to-order products; the
    order's 按单生产 button submits the manufacturing order it still needs (3), and refuses a
    second time; planning then proposes no other order for it. Other posts see no button."""
    from tests.web_helpers import client_for, csrf

    app = make_app()
    runtime, ids = mto_setup(app.extensions["kangyi"])
    name = _approved_order(runtime, ids, 3, dt.date.today() + dt.timedelta(days=20))
    with runtime.env() as env:
        order = env["sale.order"].search([("name", "=", name)])[0]
        env["res.users"].write([ids["planner"], ids["assistant"]],
                               {"password": "password123", "lang": "zh_CN"})
    planner = client_for(app, "planner")
    listed = planner.get('/web/sale.order?domain=[["state", "=", "sale"], '
                         '["order_line.product_id.produce_to_order", "=", true]]')
    assert listed.status_code == 200 and name in listed.get_data(as_text=True)
    button = f"/web/sale.order/{order}/call/action_manufacture"
    assert button in planner.get(f"/web/sale.order/{order}").get_data(as_text=True)
    assistant = client_for(app, "assistant")
    assert button not in assistant.get(f"/web/sale.order/{order}").get_data(as_text=True)
    token = csrf(planner, f"/web/sale.order/{order}")
    assert planner.post(button, data={"csrf_token": token}).status_code == 302
    with runtime.env() as env:
        made = env["mrp.production"].search_read([("origin", "=", name)], [
            "product_id", "product_qty", "state"])
    assert [(m["product_id"][0], m["product_qty"], m["state"]) for m in made] == [
        (ids["F"], D(3), "to_approve")]
    again = planner.post(button, data={"csrf_token": token}, follow_redirects=True)
    assert "不需要生产任务单" in again.get_data(as_text=True)
    with runtime.env() as env:
        assert env["mrp.production"].search_count([("origin", "=", name)]) == 1
    rows = _run(runtime, ids)[1]
    assert [r["kind"] for r in rows] == ["purchase"]  # the compressors only


def test_orders_approved_while_installing_are_planned_once_it_committed(make_runtime):
    """Approving a make-to-order sale inside an installation (a fixture addon's demo data)
    queues its planning run like any approval; the core hands it to the queue once the
    installation committed, and the run proposes its manufacturing order."""
    runtime = make_runtime()
    runtime.manager.install(["sales", "production"], demo=False)
    runtime.manager.install(["kt_mto_sale"], demo=True)
    with runtime.env() as env:
        order = env.ref("kt_mto_sale.order")
        assert order.state == "sale"
        jobs = env["queue.job"].search_read([], ["name", "state"])
        proposals = env["mrp.proposal"].search_read([], ["kind", "origin", "product_qty"],
                                                    order="kind")
    assert [(j["name"], j["state"]) for j in jobs] == [
        (f"Material planning for {order.name}", "done")]
    assert [(p["kind"], p["origin"], p["product_qty"]) for p in proposals] == [
        ("manufacture", order.name, D(2)), ("purchase", order.name, D(2))]
