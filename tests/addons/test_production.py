"""production: BOM explosion (levels, scrap, by-products, kits, cost roll-up), manufacturing
orders from approval to inspection with partial production and its backorder, component
shortage refused, quants equal to the sum of the moves, MRP netting on known data, and the web
pages of the planner."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from core.errors import AccessError, UserError, ValidationError
from core.testing import AddonTestCase
from core.workflow_engine import approve

D = Decimal
POSTS = {"planner": "production.group_planner", "workshop": "production.group_workshop",
         "quality": "production.group_quality", "keeper": "stock.group_keeper"}


class TestProductionStructure(AddonTestCase):
    addon = "production"


@dataclasses.dataclass
class Factory:
    """F is made of 1 S and 2 A (10 % scrap) in 30 min on W, yielding 1 Y (10 % of the cost);
    S is made by twos of 3 B."""

    runtime: Any
    users: dict[str, int]
    ids: dict[str, int]

    def env(self, user: str | None = None) -> Any:
        return self.runtime.env(uid=self.users[user], su=False) if user else self.runtime.env()

    def call(self, user: str, method: str, production: int, *args: Any, **kw: Any) -> Any:
        with self.env(user) as env:
            return env["mrp.production"].call(method, [production], *args, **kw)

    def read(self, model: str, record: int, *names: str) -> dict[str, Any]:
        with self.env() as env:
            return env[model].read([record], list(names))[0]

    def order(self, qty: Any, **vals: Any) -> int:
        with self.env("planner") as env:
            return env["mrp.production"].create({"product_id": self.ids["F"],
                                                 "product_qty": qty, **vals})

    def approved(self, qty: Any) -> int:
        production = self.order(qty)
        self.call("planner", "action_confirm", production)
        with self.env("workshop") as env:
            approve(env, "mrp.production", production)
        return production

    def issues(self, production: int) -> list[dict[str, Any]]:
        with self.env() as env:
            return env["stock.picking"].search_read([("production_id", "=", production)],
                                                    ["state", "move_ids"], order="id")

    def issue(self, production: int, quantities: dict[str, Any] | None = None) -> None:
        picking = [p for p in self.issues(production) if p["state"] != "done"][0]["id"]
        with self.env("keeper") as env:
            for move in env["stock.move"].search_read([("picking_id", "=", picking)],
                                                      ["product_id"]):
                for key, qty in (quantities or {}).items():
                    if move["product_id"][0] == self.ids[key]:
                        env["stock.move"].write([move["id"]], {"quantity": qty})
            env["stock.picking"].call("button_validate", [picking])

    def on_hand(self, key: str) -> Decimal:
        with self.env() as env:
            rows = env["stock.quant"].search_read([("product_id", "=", self.ids[key]),
                                                   ("usage", "=", "internal")], ["quantity"])
        return sum((D(r["quantity"]) for r in rows), D(0))


def receive(env: Any, product: int, qty: Any, price: Any) -> None:
    ptype = env["stock.picking.type"].search([("code", "=", "incoming")], limit=1)[0]
    picking = env["stock.picking"].create({"picking_type_id": ptype, "move_ids": [
        (0, 0, {"product_id": product, "product_uom_qty": qty, "price_unit": D(price)})]})
    env["stock.picking"].call("button_validate", [picking])


def factory_setup(runtime: Any) -> Factory:
    with runtime.env() as env:
        users = {login: env["res.users"].create({
            "login": login, "name": login.title(),
            "groups_id": [(6, 0, [env.ref_id(group)])]}) for login, group in POSTS.items()}
        products = env["product.product"]
        ids = {key: products.create({"name": name, "default_code": f"T-{key}",
                                     "standard_price": D(cost), "type": "product"})
               for key, name, cost in (("F", "成品血压计", "0"), ("S", "主机组件", "8"),
                                       ("A", "外壳", "5"), ("B", "芯片", "2"),
                                       ("Y", "回收料", "1"))}
        ids["W"] = env["mrp.workcenter"].create({"name": "装配线", "costs_hour": D(60),
                                                 "costs_hour_overhead": D(30)})
        ids["bom_F"] = env["mrp.bom"].create({
            "product_id": ids["F"], "product_qty": 1, "produce_delay": 2,
            "bom_line_ids": [(0, 0, {"product_id": ids["S"], "product_qty": 1}),
                             (0, 0, {"product_id": ids["A"], "product_qty": 2,
                                     "scrap_rate": 10})],
            "byproduct_ids": [(0, 0, {"product_id": ids["Y"], "product_qty": 1,
                                      "cost_share": 10})],
            "operation_ids": [(0, 0, {"name": "总装", "workcenter_id": ids["W"],
                                      "time_cycle_manual": 30})]})
        ids["bom_S"] = env["mrp.bom"].create({
            "product_id": ids["S"], "product_qty": 2, "produce_delay": 1,
            "bom_line_ids": [(0, 0, {"product_id": ids["B"], "product_qty": 3})]})
    return Factory(runtime, users, ids)


@pytest.fixture(name="factory")
def factory_fixture(make_runtime: Any) -> Factory:
    runtime = make_runtime()
    runtime.manager.install(["production"], demo=False)
    return factory_setup(runtime)


def assert_quants_are_the_moves(env: Any) -> None:
    """For every product and location: quant quantity and value = done moves in − out."""
    reg = env.registry
    move, quant = reg["stock.move"], reg["stock.quant"]
    totals: dict[tuple[int, int], list[Decimal]] = {}
    for product, src, dst, qty, value in env.session.execute(select(
            move.product_id, move.location_id, move.location_dest_id,
            func.sum(move.product_qty), func.sum(move.value)).where(move.state == "done")
            .group_by(move.product_id, move.location_id, move.location_dest_id)):
        for key, sign in (((product, src), -1), ((product, dst), 1)):
            row = totals.setdefault(key, [D(0), D(0)])
            row[0] += sign * D(qty)
            row[1] += sign * D(value or 0)
    for row in env.session.execute(select(quant.product_id, quant.location_id,
                                          quant.quantity, quant.value)):
        expected = totals.get((row.product_id, row.location_id), [D(0), D(0)])
        assert (D(row.quantity), D(row.value)) == (expected[0], expected[1]), row


# -- explosion -------------------------------------------------------------------------------


def test_explosion_by_level_with_scrap_byproducts_kits_and_rolled_up_cost(factory):
    from addons.production.explosion import BomIndex, standard_unit_cost

    ids = factory.ids
    with factory.env() as env:
        index = BomIndex(env)
        assert index.explode_levels(ids["F"], 10) == [
            {ids["F"]: D(10)}, {ids["S"]: D(10), ids["A"]: D("22.0000")}, {ids["B"]: D(15)}]
        bom = index.get(ids["F"])
        assert bom.byproduct_qtys(4) == [(ids["Y"], D("4.0000"), D(10))]
        # S at its own bill's cost (3 B at 2 = 6 for two: 3 each), A with scrap 2.2 × 5,
        # 30 min at 90 an hour, less the by-product's 10 %
        assert standard_unit_cost(env, ids["bom_F"]) == D("53.10")  # (3 + 11 + 45) × 0.9
        # a kit (phantom) is replaced by its components
        kit = env["product.product"].create({"name": "配件包", "type": "product"})
        env["mrp.bom"].create({"product_id": kit, "type": "phantom", "bom_line_ids": [
            (0, 0, {"product_id": ids["B"], "product_qty": 4})]})
        env["mrp.bom.line"].create({"bom_id": ids["bom_F"], "product_id": kit,
                                    "product_qty": 1})
        fresh = BomIndex(env)
        assert fresh.components(fresh.get(ids["F"]), 2)[ids["B"]] == D(8)
        # versions: the newest valid one applies; one valid from tomorrow waits
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        v2 = env["mrp.bom"].create({"product_id": ids["S"], "version": 2, "bom_line_ids": [
            (0, 0, {"product_id": ids["B"], "product_qty": 1})]})
        v3 = env["mrp.bom"].create({"product_id": ids["S"], "version": 3,
                                    "date_start": tomorrow, "bom_line_ids": [
                                        (0, 0, {"product_id": ids["B"], "product_qty": 2})]})
        assert BomIndex(env).get(ids["S"]).id == v2
        assert BomIndex(env, tomorrow).get(ids["S"]).id == v3
        with pytest.raises(ValidationError):  # F inside S inside F
            env["mrp.bom.line"].create({"bom_id": ids["bom_S"], "product_id": ids["F"],
                                        "product_qty": 1})
        with pytest.raises(ValidationError):
            env["mrp.bom.line"].create({"bom_id": ids["bom_S"], "product_id": ids["A"],
                                        "product_qty": 1, "scrap_rate": 100})


# -- manufacturing orders --------------------------------------------------------------------


def test_partial_production_costs_returns_and_backorder(factory):
    ids = factory.ids
    with factory.env() as env:
        receive(env, ids["S"], 20, "8")
        receive(env, ids["A"], 100, "5")
    production = factory.approved(10)
    assert factory.read("mrp.production", production, "state")["state"] == "confirmed"
    issue = factory.issues(production)
    assert len(issue) == 1 and issue[0]["state"] == "assigned"
    with pytest.raises(AccessError):  # the keeper validates the issue, not the workshop
        with factory.env("workshop") as env:
            env["stock.picking"].call("button_validate", [issue[0]["id"]])
    factory.issue(production)
    factory.call("workshop", "action_start", production)
    with factory.env("workshop") as env:
        env["mrp.production"].write([production], {"qty_producing": 4})
    factory.call("workshop", "action_produce", production)
    with pytest.raises(AccessError):
        factory.call("workshop", "action_inspect", production)
    factory.call("quality", "action_inspect", production)

    head = factory.read("mrp.production", production, "state", "product_qty", "qty_produced",
                        "cost_material", "cost_labour", "cost_overhead", "cost_total",
                        "cost_unit", "cost_standard", "cost_variance", "duration")
    # 4 S at 8 and 8.8 A at 5; 4 cycles of 30 min at 60 + 30 an hour; F carries 90 %
    assert head["state"] == "done" and head["qty_produced"] == D(4)
    assert (head["cost_material"], head["cost_labour"], head["cost_overhead"]) == (
        D("76.00"), D("120.00"), D("60.00"))
    assert head["cost_total"] == D("256.00") and head["cost_unit"] == D("57.6000")
    assert head["duration"] == D(2)
    # standard: 4 × 53.10 (S rolled up at its bill's 3); variance of F's 230.40 against it
    assert head["cost_standard"] == D("212.40") and head["cost_variance"] == D("18.00")
    assert factory.on_hand("F") == D(4) and factory.on_hand("Y") == D(4)
    assert factory.on_hand("S") == D(16) and factory.on_hand("A") == D("91.2")
    with factory.env() as env:
        values = {m["product_id"][0]: m["value"] for m in env["stock.move"].search_read(
            [("production_id", "=", production)], ["product_id", "value"])}
        assert values == {ids["F"]: D("230.40"), ids["Y"]: D("25.60")}
        back = env["mrp.production"].search_read([("backorder_of_id", "=", production)],
                                                 ["state", "product_qty"])
        assert [(b["state"], b["product_qty"]) for b in back] == [("confirmed", D(6))]
        moves = env["stock.move"].search_read([("raw_material_production_id", "=",
                                                back[0]["id"])], ["product_id",
                                                                  "product_uom_qty"])
        assert {m["product_id"][0]: m["product_uom_qty"] for m in moves} == {
            ids["S"]: D(6), ids["A"]: D("13.2")}
        assert_quants_are_the_moves(env)


def test_component_shortage_is_refused(factory):
    ids = factory.ids
    with factory.env() as env:
        receive(env, ids["S"], 3, "8")
        receive(env, ids["A"], 100, "5")
    production = factory.approved(5)
    with pytest.raises(UserError):  # 5 S needed, 3 in stock: the keeper cannot issue 5
        factory.issue(production)
    factory.issue(production, {"S": 3})  # 3 issued, 2 left in a backorder issue
    assert [p["state"] for p in factory.issues(production)] == ["done", "draft"]
    factory.call("workshop", "action_start", production)
    with pytest.raises(UserError, match="主机组件|T-S"):
        factory.call("workshop", "action_produce", production)
    with factory.env("workshop") as env:
        env["mrp.production"].write([production], {"qty_producing": 3})
        with pytest.raises(ValidationError):
            env["mrp.production"].write([production], {"qty_producing": 6})
    factory.call("workshop", "action_produce", production)
    assert factory.read("mrp.production", production, "state")["state"] == "to_inspect"


def test_scrap_at_inspection_needs_a_reason_and_the_good_units_carry_the_cost(factory):
    ids = factory.ids
    with factory.env() as env:
        receive(env, ids["S"], 5, "8")
        receive(env, ids["A"], 20, "5")
    production = factory.approved(5)
    factory.issue(production)
    factory.call("workshop", "action_start", production)
    factory.call("workshop", "action_produce", production)
    with factory.env("quality") as env:
        env["mrp.production"].write([production], {"qty_scrap": 1})
    with pytest.raises(ValidationError):
        factory.call("quality", "action_inspect", production)
    with factory.env("quality") as env:
        env["mrp.production"].write([production], {"scrap_reason": "外壳裂纹"})
    factory.call("quality", "action_inspect", production)
    head = factory.read("mrp.production", production, "qty_produced", "cost_total",
                        "cost_unit")
    # 5 S at 8 + 11 A at 5 + 2.5 h at 90 = 320; F carries 90 % over its 4 good units
    assert (head["qty_produced"], head["cost_total"], head["cost_unit"]) == (
        D(4), D("320.00"), D(72))
    assert factory.on_hand("F") == D(4)
    with factory.env() as env:
        scrap = env["stock.move"].search_read([("product_id", "=", ids["F"]),
                                               ("location_dest_id.usage", "=", "inventory")],
                                              ["name", "product_qty", "value", "state"])
        assert [(s["product_qty"], s["value"], s["state"]) for s in scrap] == [
            (D(1), D(0), "done")] and "外壳裂纹" in scrap[0]["name"]
        assert not env["mrp.production"].search([("backorder_of_id", "=", production)])
        assert_quants_are_the_moves(env)


def test_approvals_and_cancellation_give_the_components_back(factory):
    ids = factory.ids
    with factory.env() as env:
        receive(env, ids["S"], 10, "8")
        receive(env, ids["A"], 50, "5")
    production = factory.order(2)
    with pytest.raises(AccessError):
        factory.call("quality", "action_confirm", production)
    factory.call("planner", "action_confirm", production)
    assert factory.read("mrp.production", production, "state")["state"] == "to_approve"
    with factory.env("workshop") as env:
        approve(env, "mrp.production", production)
    with pytest.raises(ValidationError, match="can no longer be changed"):  # not a draft
        with factory.env("planner") as env:
            env["mrp.production"].write([production], {"product_qty": 3})
    factory.issue(production)
    assert factory.on_hand("A") == D("45.6")
    factory.call("workshop", "action_cancel", production)
    assert factory.on_hand("A") == D(50) and factory.on_hand("S") == D(10)
    with factory.env() as env:
        assert_quants_are_the_moves(env)


# -- planning --------------------------------------------------------------------------------


def test_mrp_nets_level_by_level_on_known_data(factory):
    ids = factory.ids
    today = dt.date.today()
    with factory.env() as env:
        warehouse = env["stock.warehouse"].search([("code", "=", "WH")])[0]
        env["stock.warehouse.orderpoint"].create({"product_id": ids["F"],
                                                  "warehouse_id": warehouse,
                                                  "product_min_qty": 5, "product_max_qty": 10})
        receive(env, ids["S"], 4, "8")
        receive(env, ids["A"], 5, "5")
        out = env["stock.picking.type"].search([("code", "=", "outgoing"),
                                                ("warehouse_id", "=", warehouse)])[0]
        reserve = env["stock.picking"].create({"picking_type_id": out, "move_ids": [
            (0, 0, {"product_id": ids["S"], "product_uom_qty": 1})]})
        env["stock.picking"].call("action_confirm", [reserve])  # 1 S reserved
        incoming = env["stock.picking.type"].search([("code", "=", "incoming")])[0]
        env["stock.picking"].create({"picking_type_id": incoming, "move_ids": [
            (0, 0, {"product_id": ids["A"], "product_uom_qty": 10})]})  # 10 A on their way
        env["stock.picking"].call("action_confirm", [env["stock.picking"].search(
            [("picking_type_id", "=", incoming), ("state", "=", "draft")])[0]])
    with factory.env("planner") as env:
        run = env["mrp.run"].create({})
        env["mrp.run"].call("action_run", [run])
        rows = env["mrp.proposal"].search_read([("run_id", "=", run)], [
            "kind", "product_id", "product_qty", "level", "date_start", "date_due", "late"])
    got = {(r["kind"], r["product_id"][0]): (r["product_qty"], r["level"], r["date_start"],
                                             r["date_due"], r["late"]) for r in rows}
    day = dt.timedelta(days=1)
    assert got == {
        # 0 F on hand, below the minimum 5: up to the maximum 10, due today, 2 days to make
        ("manufacture", ids["F"]): (D(10), 0, today - 2 * day, today, True),
        # 10 S needed, 4 on hand of which 1 reserved: 7, by twos of 3 B: 10.5 B
        ("manufacture", ids["S"]): (D(7), 1, today - 3 * day, today - 2 * day, True),
        # 22 A (10 % scrap), 5 on hand and 10 on their way: buy 7 when F starts
        ("purchase", ids["A"]): (D(7), 1, today - 2 * day, today - 2 * day, True),
        ("purchase", ids["B"]): (D("10.5"), 2, today - 3 * day, today - 3 * day, True),
    }
    with factory.env("planner") as env:  # a second run replaces the proposals
        env["mrp.run"].call("action_run", [env["mrp.run"].create({})])
        assert env["mrp.proposal"].search_count([]) == 4
        manufacture = env["mrp.proposal"].search([("kind", "=", "manufacture")])
        from core.workflow_engine import take_each

        result = take_each(env, "mrp.proposal", manufacture, "confirm")
        assert sorted(result.done) == sorted(manufacture)
        made = env["mrp.production"].search_read([], ["product_id", "product_qty", "state"])
    assert sorted((m["product_id"][0], m["product_qty"], m["state"]) for m in made) == sorted(
        [(ids["F"], D(10), "to_approve"), (ids["S"], D(7), "to_approve")])
    with factory.env("planner") as env:  # the orders now cover F and S: only purchases left
        env["mrp.run"].call("action_run", [env["mrp.run"].create({})])
        left = env["mrp.proposal"].search_read([("state", "=", "draft")], ["kind", "product_id",
                                                                           "product_qty"])
    assert {(r["kind"], r["product_id"][0], r["product_qty"]) for r in left} == {
        ("purchase", ids["A"], D(7)), ("purchase", ids["B"], D("10.5"))}
    with factory.env("planner") as env:  # without purchasing, buying is the planner's job
        result = take_each(env, "mrp.proposal", [r["id"] for r in left], "confirm")
    assert not result.done and all("by hand" in refused[2] for refused in result.refused)
    from core.jobs import queue_of
    from core.jobs.runner import run_cron

    with factory.env() as env:  # the daily job, through the scheduler's code, plans the same
        cron_id = env["ir.cron"].search([("code", "=", "production.job_mrp")])[0]
        queue = queue_of(env)
    run_cron(queue, cron_id)
    with factory.env() as env:
        assert env["ir.cron"].read([cron_id], ["state", "last_error"])[0] == {
            "id": cron_id, "state": "done", "last_error": None}
        last = env["mrp.run"].search([], order="id desc", limit=1)
        assert env["mrp.run"].read(last, ["proposal_count"])[0]["proposal_count"] == 2


# -- web -------------------------------------------------------------------------------------


def test_the_planner_works_through_the_web_pages(make_app):
    from tests.web_helpers import client_for, csrf

    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["production"], demo=False)
    factory = factory_setup(runtime)
    with runtime.env() as env:
        env["res.users"].write([factory.users["planner"]], {"password": "password123",
                                                            "lang": "zh_CN"})
    client = client_for(app, "planner")
    home = client.get("/").get_data(as_text=True)
    assert "生产管理" in home
    page = client.get("/web/mrp.production/new").get_data(as_text=True)
    assert "待生产数量" in page

    def post_order(qty: str) -> Any:
        return client.post("/web/mrp.production/new", data={
            "csrf_token": csrf(client, "/web/mrp.production/new"),
            "product_id": str(factory.ids["F"]), "product_id_display": "x",
            "product_qty": qty})

    refused = post_order("0")  # a clear translated error, nothing saved
    assert refused.status_code == 422 and "待生产数量必须为正数" in refused.get_data(as_text=True)
    saved = post_order("3")
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    with runtime.env() as env:
        orders = env["mrp.production"].search_read([], ["product_qty", "bom_id", "state"])
    assert [(o["product_qty"], o["bom_id"][0], o["state"]) for o in orders] == [
        (D(3), factory.ids["bom_F"], "draft")]
    form = client.get(f"/web/mrp.bom/{factory.ids['bom_F']}").get_data(as_text=True)
    assert "报废率" in form and "副产品" in form
    run = client.post("/web/mrp.run/new", data={"csrf_token": csrf(client, "/web/mrp.run/new")})
    assert run.status_code in (302, 303), run.get_data(as_text=True)[:500]
    assert client.get("/web/mrp.proposal").status_code == 200
    assert client.get("/web/mrp.production?filter=to_inspect").status_code == 200


def test_an_order_and_its_material_issues_lead_to_each_other(make_app):
    """Smart buttons: the manufacturing order counts its material issues and opens the one it
    has; the issue leads back to its order."""
    from tests.web_helpers import client_for

    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["production"], demo=False)
    factory = factory_setup(runtime)
    with runtime.env() as env:
        receive(env, factory.ids["S"], 20, "8")
        receive(env, factory.ids["A"], 100, "5")
        env["res.users"].write([factory.users["workshop"]], {"password": "password123",
                                                             "lang": "zh_CN"})
    production = factory.approved(10)
    issue = factory.issues(production)[0]["id"]
    client = client_for(app, "workshop")
    form = client.get(f"/web/mrp.production/{production}").get_data(as_text=True)
    assert re.search(rf'href="/web/stock.picking/{issue}"><span class="smart-count">1</span> '
                     r'<span class="smart-label">领料单</span>', form), form[-3000:]
    back = client.get(f"/web/stock.picking/{issue}").get_data(as_text=True)
    assert f'href="/web/mrp.production/{production}"><span class="smart-count">1</span>' in back


def test_manual_return_of_surplus_material_validated_by_the_keeper(factory):
    """退料 by hand: the workshop produces 4 of 10, asks to return what those 4 do not need,
    the keeper validates the return (production location → stock) at the issue cost; the
    order's issued quantities and the quants follow, and the inspection costs only what was
    kept."""
    ids = factory.ids
    with factory.env() as env:
        receive(env, ids["S"], 20, "8")
        receive(env, ids["A"], 100, "5")
    production = factory.approved(10)
    with pytest.raises(UserError, match="approved or in progress"):
        factory.call("workshop", "action_return_material", factory.order(1))
    with pytest.raises(UserError, match="beyond"):  # nothing issued yet
        factory.call("workshop", "action_return_material", production)
    factory.issue(production)
    factory.call("workshop", "action_start", production)
    with pytest.raises(UserError, match="beyond"):  # all 10 still need everything issued
        factory.call("workshop", "action_return_material", production)
    with factory.env("workshop") as env:
        env["mrp.production"].write([production], {"qty_producing": 4})
    with pytest.raises(AccessError):  # the workshop's button, not the planner's
        factory.call("quality", "action_return_material", production)
    back = factory.call("workshop", "action_return_material", production)
    with pytest.raises(UserError, match="waiting for the keeper"):
        factory.call("workshop", "action_return_material", production)
    with factory.env() as env:
        picking = env["stock.picking"].read([back], ["state", "location_id",
                                                     "location_dest_id", "production_id"])[0]
        moves = {m["product_id"][0]: (m["product_uom_qty"], m["price_unit"])
                 for m in env["stock.move"].search_read([("picking_id", "=", back)],
                                                        ["product_id", "product_uom_qty",
                                                         "price_unit"])}
        production_location = env.ref_id("stock.stock_location_production")
    assert picking["state"] == "assigned" and picking["production_id"][0] == production
    assert picking["location_id"][0] == production_location
    assert moves == {ids["S"]: (D(6), D(8)), ids["A"]: (D("13.2"), D(5))}
    with pytest.raises(AccessError):  # the keeper validates it, as the material issue
        with factory.env("workshop") as env:
            env["stock.picking"].call("button_validate", [back])
    with factory.env("keeper") as env:
        env["stock.picking"].call("button_validate", [back])
    assert factory.on_hand("S") == D(16) and factory.on_hand("A") == D("91.2")
    with factory.env() as env:
        issued = env["mrp.production"].browse_unchecked([production])[0].issued()
        assert issued == {ids["S"]: [D(4), D(32)], ids["A"]: [D("8.8"), D(44)]}
    factory.call("workshop", "action_produce", production)
    factory.call("quality", "action_inspect", production)
    head = factory.read("mrp.production", production, "state", "cost_material")
    assert (head["state"], head["cost_material"]) == ("done", D("76.00"))
    with factory.env() as env:
        assert_quants_are_the_moves(env)


def test_bills_and_orders_in_other_units_convert_for_moves_and_planning(factory):
    """A bill for a box of 10 (箱(10件)) with a component in grams of a product kept in kg, and
    an order of 3 boxes: the issue, the finished goods, the cost and material planning work in
    the products' own units (30 pieces; 1.5 kg); a unit of another kind is refused."""
    with factory.env() as env:
        ref = env.ref_id
        products = env["product.product"]
        pack = products.create({"name": "血压计礼盒", "type": "product"})
        cuff = products.create({"name": "袖带", "type": "product", "standard_price": D(3)})
        glue = products.create({"name": "胶水", "type": "product", "uom_id": ref("product.uom_kgm"),
                                "standard_price": D(40)})
        with pytest.raises(ValidationError, match="another kind"):
            env["mrp.bom"].create({"product_id": pack, "product_uom_id": ref("product.uom_kgm")})
        bom = env["mrp.bom"].create({
            "product_id": pack, "product_qty": 1, "product_uom_id": ref("product.uom_box10"),
            "bom_line_ids": [(0, 0, {"product_id": cuff, "product_qty": 12}),
                             (0, 0, {"product_id": glue, "product_qty": 500,
                                     "product_uom_id": ref("product.uom_gram")})]})
        with pytest.raises(ValidationError, match="another kind"):
            env["mrp.bom.line"].create({"bom_id": bom, "product_id": glue, "product_qty": 1,
                                        "product_uom_id": ref("product.uom_box10")})
        lines = env["mrp.bom.line"].search_read([("bom_id", "=", bom)], ["product_uom_id"])
        assert [r["product_uom_id"][0] for r in lines] == [ref("product.uom_unit"),
                                                           ref("product.uom_gram")]
        warehouse = env["stock.warehouse"].search([("code", "=", "WH")])[0]
        env["stock.warehouse.orderpoint"].create({"product_id": pack, "warehouse_id": warehouse,
                                                  "product_min_qty": 25,
                                                  "product_max_qty": 25})
        receive(env, cuff, 40, "3")
        receive(env, glue, 1, "40")  # 1 kg of the 1.5 kg needed
    with factory.env("planner") as env:
        production = env["mrp.production"].create({
            "product_id": pack, "product_qty": 3, "product_uom_id": env.ref_id(
                "product.uom_box10")})
        run = env["mrp.run"].create({})
        env["mrp.run"].call("action_run", [run])
        proposals = {(p["kind"], p["product_id"][0]): p["product_qty"]
                     for p in env["mrp.proposal"].search_read(
                         [("run_id", "=", run)], ["kind", "product_id", "product_qty"])}
    # the draft order's 30 pieces cover the minimum of 25; its 1.5 kg of glue lack 0.5 kg
    assert proposals == {("purchase", glue): D("0.5")}
    with factory.env() as env:
        receive(env, glue, 1, "40")
    factory.call("planner", "action_confirm", production)
    with factory.env("workshop") as env:
        approve(env, "mrp.production", production)
    with factory.env() as env:
        moves = {m["product_id"][0]: m["product_uom_qty"] for m in env["stock.move"].search_read(
            [("raw_material_production_id", "=", production)], ["product_id",
                                                                "product_uom_qty"])}
    assert moves == {cuff: D(36), glue: D("1.5")}
    factory.issue(production)
    factory.call("workshop", "action_start", production)
    factory.call("workshop", "action_produce", production)
    factory.call("quality", "action_inspect", production)
    head = factory.read("mrp.production", production, "state", "qty_produced", "cost_material",
                        "cost_total", "cost_unit", "cost_standard", "cost_variance")
    # 36 cuffs at 3 and 1.5 kg of glue at 40; the unit cost is per box
    assert (head["state"], head["qty_produced"], head["cost_material"]) == (
        "done", D(3), D("168.00"))
    assert head["cost_unit"] == D(56)
    # the bill's standard cost per piece: (12 × 3 + 0.5 kg × 40) ÷ 10 = 5.60, × 30 pieces
    with factory.env() as env:
        from addons.production.explosion import standard_unit_cost

        assert standard_unit_cost(env, bom) == D("5.60")
    assert (head["cost_standard"], head["cost_variance"]) == (D("168.00"), D(0))
    with factory.env() as env:
        quants = {q["product_id"][0]: q["quantity"] for q in env["stock.quant"].search_read(
            [("product_id", "in", [pack, cuff, glue]), ("usage", "=", "internal")],
            ["product_id", "quantity"])}
        finished = env["stock.move"].search_read([("production_id", "=", production)],
                                                 ["product_qty", "product_uom_qty", "value"])
        assert_quants_are_the_moves(env)
    assert quants == {pack: D(30), cuff: D(4), glue: D("0.5")}
    assert [(m["product_uom_qty"], m["product_qty"], m["value"]) for m in finished] == [
        (D(3), D(30), D("168.00"))]

    # a second order by the piece: output adds up in the product's unit (30 + 5), not 3 + 5
    with factory.env() as env:
        receive(env, cuff, 2, "3")
    with factory.env("planner") as env:
        pieces = env["mrp.production"].create({"product_id": pack, "product_qty": 5})
    factory.call("planner", "action_confirm", pieces)
    with factory.env("workshop") as env:
        approve(env, "mrp.production", pieces)
    factory.issue(pieces)
    for user, step in (("workshop", "action_start"), ("workshop", "action_produce"),
                       ("quality", "action_inspect")):
        factory.call(user, step, pieces)
    with factory.env() as env:
        orders = env["mrp.production"]
        done = [("product_id", "=", pack), ("state", "=", "done")]
        records = orders.search_read(done, ["qty_produced", "product_uom_id",
                                            "product_uom_qty", "qty_produced_product_uom"],
                                     order="id")
        ratio = {u["id"]: u["ratio"] for u in env["uom.uom"].search_read([], ["ratio"])}
        own = ratio[env["product.product"].read([pack], ["uom_id"])[0]["uom_id"][0]]
        expected = sum((r["qty_produced"] * ratio[r["product_uom_id"][0]] / own
                        for r in records), D(0))
        assert [r["qty_produced_product_uom"] for r in records] == [D(30), D(5)]
        assert [r["product_uom_qty"] for r in records] == [D(30), D(5)]
        from addons.analytics.analyses.production import ITEMS
        from addons.analytics.pivot import compute, parse_measures

        output = next(i for i in ITEMS if i.id == "analytics.production_output")
        pivot = compute(orders, [*output.domain, ("product_id", "=", pack)], list(output.rows),
                        [], parse_measures(orders, list(output.measures)))
        assert pivot.value((), ())[:2] == [expected, 2] and expected == D(35)
        by_product = orders.read_group(done, ["qty_produced:sum(qty_produced_product_uom)"],
                                       ["product_id"])
        assert by_product[0]["qty_produced"] == D(35)  # the cost report's per-product sum


def test_demo_factory_has_three_level_bills_and_translated_work_centres(make_app):
    """The demo factory: the blood-pressure monitor's bill has three levels below it; work
    centres and operations are stored once in English and read in the reader's language."""
    from addons.production.explosion import BomIndex

    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["production"], demo=True)
    names, found = {}, {}
    for lang in ("zh_CN", "en"):
        with app.app_context(), runtime.env(context={"lang": lang}) as env:
            names[lang] = (
                [w["name"] for w in env["mrp.workcenter"].search_read([], ["name"],
                                                                       order="code")],
                [o["name"] for o in env["mrp.routing.workcenter"].search_read(
                    [("bom_id", "=", env.ref_id("production.bom_bp100"))], ["name"])])
            found[lang] = env["mrp.workcenter"].search([("name", "ilike", "装配")])
    assert names == {"zh_CN": (["装配线", "贴片车间"], ["总装与校准"]),
                     "en": (["Assembly line", "SMT workshop"],
                            ["Final assembly and calibration"])}
    with runtime.env() as env:  # searching matches the reader's language
        assert found == {"zh_CN": [env.ref_id("production.wc_assembly")], "en": []}
    with runtime.env() as env:
        levels = BomIndex(env).explode_levels(env.ref_id("product.product_bp100"), 1)
        codes = env["product.product"].read([p for p in levels[3]], ["default_code"])
    assert len(levels) == 4  # monitor → main unit → board → chip and resistors
    assert {c["default_code"] for c in codes} == {"KY-C-IC01", "KY-C-R100"}
