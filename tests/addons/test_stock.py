"""The stock addon: warehouses and locations, transfers with reservation and backorders, no
overselling, units, frozen history, counts, reorder rules, ledger and value reports, rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import AccessError, UserError, ValidationError
from core.testing import AddonTestCase

D = Decimal


class TestStockStructure(AddonTestCase):
    addon = "stock"


@pytest.fixture
def stock_rt(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["stock"])
    return runtime


# -- helpers shared by the stock test modules -------------------------------------------------


def make_user(env, login, groups):
    return env["res.users"].create({
        "login": login, "name": login.title(),
        "groups_id": [(6, 0, [env.ref_id(g) for g in groups])]})


def make_product(env, name, cost="0", uom=None, code=None):
    vals = {"name": name, "standard_price": D(cost), "type": "product"}
    if uom:
        vals["uom_id"] = env.ref_id(uom)
    if code:
        vals["default_code"] = code
    return env["product.product"].create(vals)


def main_stock(env):
    return env.ref("stock.warehouse_main").lot_stock_id


def picking_type(env, code, warehouse="stock.warehouse_main", **extra):
    domain = [("warehouse_id", "=", env.ref_id(warehouse)), ("code", "=", code)]
    domain += [(k, "=", v) for k, v in extra.items()]
    return env["stock.picking.type"].search(domain, limit=1)[0]


def transfer(env, type_code, lines, **vals):
    """A draft transfer of ``lines`` = [(product_id, qty) or (product_id, qty, extra)]."""
    moves = []
    for line in lines:
        product, qty, *rest = line
        moves.append((0, 0, {"product_id": product, "product_uom_qty": D(str(qty)),
                             **(rest[0] if rest else {})}))
    ptype = vals.pop("picking_type_id", None) or picking_type(env, type_code)
    return env["stock.picking"].create({"picking_type_id": ptype, "move_ids": moves, **vals})


def receive(env, product, qty, price, location=None):
    """Receive ``qty`` at ``price`` into ``location`` (default: main stock); returns picking."""
    vals = {"location_dest_id": location} if location else {}
    picking = transfer(env, "incoming", [(product, qty, {"price_unit": D(str(price))})], **vals)
    env["stock.picking"].call("button_validate", [picking])
    return picking


def deliver(env, product, qty, location=None):
    vals = {"location_id": location} if location else {}
    picking = transfer(env, "outgoing", [(product, qty)], **vals)
    env["stock.picking"].call("button_validate", [picking])
    return picking


def on_hand(env, product, location):
    rows = env["stock.quant"].search_read([("product_id", "=", product),
                                           ("location_id", "=", location)],
                                          ["quantity", "reserved_quantity", "value"])
    if not rows:
        return D(0), D(0), D(0)
    row = rows[0]
    return row["quantity"], row["reserved_quantity"], row["value"]


def customer(env, name="上海康宁医药有限公司"):
    return env["res.partner"].create({"name": name, "is_company": True})


# -- warehouses and locations ---------------------------------------------------------------


def test_warehouse_creates_its_locations_and_operation_types(stock_rt):
    with stock_rt.env() as env:
        wh_id = env["stock.warehouse"].create({"name": "苏州仓", "code": "SZ"})
        wh = env["stock.warehouse"].read([wh_id], ["view_location_id", "lot_stock_id"])[0]
        assert wh["view_location_id"][1] == "SZ"
        assert wh["lot_stock_id"][1] == "SZ/Stock"
        types = env["stock.picking.type"].search_read([("warehouse_id", "=", wh_id)],
                                                      ["code", "two_step_approval",
                                                       "require_origin"])
        assert sorted(t["code"] for t in types) == ["incoming", "internal", "internal",
                                                    "outgoing"]
        assert [t for t in types if t["two_step_approval"] and t["require_origin"]]
        assert env["stock.location"].search_count([("usage", "=", "view"),
                                                   ("id", "child_of", wh["view_location_id"][0])])
        with pytest.raises(ValidationError):
            env["stock.warehouse"].create({"name": "Again", "code": "SZ"})


def test_transit_location_per_customer_created_on_demand(stock_rt):
    with stock_rt.env() as env:
        acme, other = customer(env), customer(env, "北京协和医疗器械有限公司")
        first = env["stock.location"].transit_location_for(acme)
        assert env["stock.location"].transit_location_for(acme) == first
        second = env["stock.location"].transit_location_for(other)
        assert second != first
        row = env["stock.location"].read([first], ["usage", "partner_id", "complete_name",
                                                   "warehouse_id"])[0]
        assert row["usage"] == "transit" and row["partner_id"][0] == acme
        assert row["complete_name"] == "FC/上海康宁医药有限公司"
        assert row["warehouse_id"][0] == env.ref_id("stock.warehouse_transit")


def test_location_tree_names_and_recursion(stock_rt):
    with stock_rt.env() as env:
        stock = main_stock(env)
        shelf = env["stock.location"].create({"name": "A区", "location_id": stock})
        bin_ = env["stock.location"].create({"name": "01架", "location_id": shelf})
        assert env["stock.location"].read([bin_], ["complete_name"])[0]["complete_name"] == \
            "WH/Stock/A区/01架"
        env["stock.location"].write([shelf], {"name": "B区"})
        assert env["stock.location"].read([bin_], ["complete_name"])[0]["complete_name"] == \
            "WH/Stock/B区/01架"
        with pytest.raises(ValidationError, match="cannot contain itself"):
            env["stock.location"].write([shelf], {"location_id": bin_})


# -- moves, quants, reservation, backorders ---------------------------------------------------


def test_receipt_and_delivery_move_quants_both_ways(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "电子血压计", "100")
        stock = main_stock(env)
        receive(env, product, 10, "100")
        assert on_hand(env, product, stock)[0] == D(10)
        quant = env["stock.quant"].search([("product_id", "=", product),
                                           ("location_id", "=", stock)])
        assert env["stock.quant"].display_names(quant) == {quant[0]: "电子血压计 @ WH/Stock"}
        supplier = env.ref_id("stock.stock_location_suppliers")
        assert on_hand(env, product, supplier)[0] == D(-10)  # double entry: the vendor side
        deliver(env, product, 4)
        assert on_hand(env, product, stock)[0] == D(6)
        assert on_hand(env, product, env.ref_id("stock.stock_location_customers"))[0] == D(4)
        total = sum(q["quantity"] for q in env["stock.quant"].search_read(
            [("product_id", "=", product)], ["quantity"]))
        assert total == 0


def test_reservation_partial_availability_and_backorder(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "红外额温枪", "50")
        stock = main_stock(env)
        receive(env, product, 6, "50")
        picking = transfer(env, "outgoing", [(product, 10)])
        pickings = env["stock.picking"]
        assert pickings.call("action_confirm", [picking]) == "confirmed"  # only 6 of 10
        move = env["stock.move"].search_read([("picking_id", "=", picking)],
                                             ["state", "reserved_qty"])[0]
        assert move["state"] == "partially_available" and move["reserved_qty"] == D(6)
        assert on_hand(env, product, stock)[1] == D(6)
        # another transfer finds nothing left to reserve
        other = transfer(env, "outgoing", [(product, 1)])
        assert pickings.call("action_assign", [other]) == "confirmed"
        # ship the 6 available, keep the 4 others in a backorder
        env["stock.move"].write([move["id"]], {"quantity": D(6)})
        assert pickings.call("button_validate", [picking]) == "done"
        backorder = pickings.search_read([("backorder_id", "=", picking)],
                                         ["state", "move_ids"])[0]
        assert backorder["state"] == "draft"
        rest = env["stock.move"].read(backorder["move_ids"], ["product_uom_qty"])
        assert [r["product_uom_qty"] for r in rest] == [D(4)]
        assert on_hand(env, product, stock)[:2] == (D(0), D(0))
        # receiving more lets the backorder and the other transfer be reserved
        receive(env, product, 5, "50")
        assert pickings.call("action_assign", [backorder["id"]]) == "assigned"
        assert pickings.call("action_assign", [other]) == "assigned"
        pickings.call("action_unreserve", [other])
        assert on_hand(env, product, stock)[1] == D(4)


def test_processing_less_without_backorder_cancels_the_rest(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "血糖仪套装", "120")
        receive(env, product, 10, "120")
        picking = transfer(env, "outgoing", [(product, 8)])
        move = env["stock.picking"].read([picking], ["move_ids"])[0]["move_ids"][0]
        env["stock.move"].write([move], {"quantity": D(3)})
        env["stock.picking"].call("button_validate", [picking], backorder=False)
        assert not env["stock.picking"].search([("backorder_id", "=", picking)])
        assert on_hand(env, product, main_stock(env))[0] == D(7)


def test_no_overselling_and_nothing_half_done(stock_rt):
    with stock_rt.env() as env:
        a, b = make_product(env, "折叠轮椅", "700"), make_product(env, "四脚助行器", "190")
        receive(env, a, 5, "700")
        receive(env, b, 1, "190")
        picking = transfer(env, "outgoing", [(a, 5), (b, 2)])
        with pytest.raises(UserError, match="Not enough"):
            env["stock.picking"].call("button_validate", [picking])
        stock = main_stock(env)
        assert on_hand(env, a, stock)[0] == D(5) and on_hand(env, b, stock)[0] == D(1)
        assert env["stock.picking"].read([picking], ["state"])[0]["state"] == "draft"
        # a company allowing negative stock lets it through
        company = env.user.company_id or env["res.company"].search([], limit=1)[0]
        env["res.company"].write([company], {"stock_allow_negative": True})
        env["stock.picking"].call("button_validate", [picking])
        assert on_hand(env, b, stock)[0] == D(-1)


def test_units_convert_to_the_product_unit(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "医用外科口罩", "1.2")
        dozen = env.ref_id("product.uom_dozen")
        picking = transfer(env, "incoming", [(product, D("2.5"), {"product_uom": dozen,
                                                                  "price_unit": D("12")})])
        env["stock.picking"].call("button_validate", [picking])
        quantity, _reserved, value = on_hand(env, product, main_stock(env))
        assert quantity == D(30) and value == D("30.00")  # 2.5 dozen at 12 a dozen
        service = env["product.product"].create({"name": "上门安装调试", "type": "service"})
        with pytest.raises(ValidationError, match="not stocked"):
            transfer(env, "incoming", [(service, 1)])
        kilo = env.ref_id("product.uom_kgm")
        with pytest.raises(ValidationError, match="cannot be converted"):
            transfer(env, "incoming", [(product, 1, {"product_uom": kilo})])


def test_history_is_frozen_and_quants_are_derived(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "压缩雾化器", "230")
        picking = receive(env, product, 3, "230")
        move = env["stock.picking"].read([picking], ["move_ids"])[0]["move_ids"][0]
        with pytest.raises(UserError, match="cannot change"):
            env["stock.move"].write([move], {"product_uom_qty": D(30)})
        with pytest.raises(UserError, match="cannot be deleted"):
            env["stock.move"].unlink([move])
        with pytest.raises(ValidationError, match="kept by the system"):
            env["stock.move"].write([move], {"state": "draft"})
        with pytest.raises(ValidationError, match="workflow"):
            env["stock.picking"].write([picking], {"state": "draft"})
        quant = env["stock.quant"].search([("product_id", "=", product)], limit=1)
        with pytest.raises(AccessError):  # even the superuser: quants come from moves
            env["stock.quant"].write(quant, {"quantity": D(99)})
        with pytest.raises(AccessError):
            env["stock.quant"].create({"product_id": product, "location_id": main_stock(env)})
        with pytest.raises(UserError, match="Only draft or cancelled"):
            env["stock.picking"].unlink([picking])


# -- valuation -----------------------------------------------------------------------------


def test_moving_average_on_a_known_sequence(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "家用制氧机", "0")
        stock = main_stock(env)
        price = lambda: env["product.product"].read([product], ["standard_price"])[0][  # noqa: E731
            "standard_price"]
        receive(env, product, 10, "100")           # 10 @ 100 → avg 100, value 1000
        receive(env, product, 10, "130")           # 20, value 2300 → avg 115
        assert price() == D("115.0000")
        out = deliver(env, product, 5)             # 5 × 115 = 575
        move = env["stock.move"].search_read([("picking_id", "=", out)], ["value",
                                                                           "price_unit"])[0]
        assert move["value"] == D("575.00") and move["price_unit"] == D("115.0000")
        receive(env, product, 15, "99")            # 15 @ 99 = 1485; (1725 + 1485) / 30 = 107
        assert price() == D("107.0000")
        assert on_hand(env, product, stock)[::2] == (D(30), D("3210.00"))
        receive(env, product, 3, "100.01")         # (3210 + 300.03) / 33 = 106.3645…
        assert price() == D("106.3645")
        deliver(env, product, 33)                  # empties the stock: takes all its value
        assert on_hand(env, product, stock)[::2] == (D(0), D("0.00"))
        last = env["stock.move"].search_read([("product_id", "=", product)], ["value"],
                                             order="id desc", limit=1)[0]
        assert last["value"] == D("3510.03")


def test_emptying_a_shelf_cheaper_than_the_average_never_values_a_move_below_zero(stock_rt):
    """The average is the company's: a shelf received below it can owe value when it empties
    (found by the generated year of data, where it made a negative valuation voucher)."""
    with stock_rt.env() as env:
        product = make_product(env, "医用口罩", "0")
        stock = main_stock(env)
        cheap = env["stock.location"].create({"name": "货架 A", "location_id": stock})
        dear = env["stock.location"].create({"name": "货架 B", "location_id": stock})
        receive(env, product, 10, "10", cheap)
        receive(env, product, 10, "1000", dear)          # average 505
        deliver(env, product, 9, cheap)                  # 9 × 505 leave a shelf worth 100
        deliver(env, product, 1, cheap)                  # empties it: at the average
        values = [m["value"] for m in env["stock.move"].search_read(
            [("product_id", "=", product)], ["value"], order="id")]
        assert values == [D("100.00"), D("10000.00"), D("4545.00"), D("505.00")]
        assert on_hand(env, product, cheap)[0] == 0


def test_stock_value_by_warehouse_including_goods_in_transit(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "电子血压计", "0")
        receive(env, product, 10, "168.50")
        manager = env["stock.picking.type"]
        ptype = manager.create({"name": "Test transit", "code": "internal",
                                "sequence_code": "TT", "warehouse_id":
                                    env.ref_id("stock.warehouse_main"),
                                "default_location_src_id": main_stock(env),
                                "to_customer_transit": True})
        picking = transfer(env, "internal", [(product, 4)], picking_type_id=ptype,
                           partner_id=customer(env))
        env["stock.picking"].call("button_validate", [picking])
        rows = {r["warehouse_id"][1]: (r["quantity"], r["value"])
                for r in env["stock.quant"].stock_value("warehouse_id")}
        assert rows["Main warehouse"] == (D(6), D("1011.00"))
        assert rows["Goods shipped"] == (D(4), D("674.00"))
        by_usage = {r["usage"]: r["value"] for r in env["stock.quant"].stock_value("usage")}
        assert by_usage == {"internal": D("1011.00"), "transit": D("674.00")}
        with pytest.raises(ValidationError):
            env["stock.quant"].stock_value("name")


def test_stock_ledger_with_running_balance(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "血糖试纸", "0")
        receive(env, product, 10, "30")
        deliver(env, product, 3)
        receive(env, product, 5, "36")
        deliver(env, product, 12)
        rows = env["stock.move"].stock_ledger(product)
        assert [(r["qty_in"], r["qty_out"], r["balance"]) for r in rows] == [
            (D(10), D(0), D(10)), (D(0), D(3), D(7)), (D(5), D(0), D(12)),
            (D(0), D(12), D(0))]
        assert rows[-1]["balance_value"] == D("0.00")
        page = env["stock.move"].stock_ledger(product, offset=2, limit=1)
        assert [r["balance"] for r in page] == [D(12)]  # the balance counts earlier rows
        wh_rows = env["stock.move"].stock_ledger(product, warehouse_id=env.ref_id(
            "stock.warehouse_main"))
        assert len(wh_rows) == 4


# -- counts and reorder rules ---------------------------------------------------------------


def test_inventory_count_posts_differences_after_manager_approval(stock_rt):
    with stock_rt.env() as env:
        keeper = make_user(env, "keeper", ["stock.group_keeper"])
        manager = make_user(env, "manager", ["stock.group_manager"])
        a, b = make_product(env, "折叠轮椅", "0"), make_product(env, "助行器", "0")
        receive(env, a, 10, "700")
        receive(env, b, 4, "190")
        stock = main_stock(env)
    with stock_rt.env(uid=keeper) as env:
        count = env["stock.inventory"].create({"location_id": stock})
        env["stock.inventory"].call("action_start", [count])
        lines = env["stock.inventory.line"].search_read([("inventory_id", "=", count)],
                                                        ["product_id", "theoretical_qty"])
        assert {(r["product_id"][0], r["theoretical_qty"]) for r in lines} == {
            (a, D(10)), (b, D(4))}
        by_product = {r["product_id"][0]: r["id"] for r in lines}
        env["stock.inventory.line"].write([by_product[a]], {"product_qty": D(8)})
        env["stock.inventory.line"].write([by_product[b]], {"product_qty": D(5)})
        assert env["stock.inventory"].call("action_validate", [count]) == "to_approve"
        with pytest.raises(AccessError):  # the keeper cannot approve their own count
            env["stock.inventory"].call("workflow_approve", [count])
        assert on_hand(env, a, stock)[0] == D(10)  # nothing posted before the approval
    with stock_rt.env(uid=manager) as env:
        assert env["stock.inventory"].call("workflow_approve", [count]) == "done"
        assert on_hand(env, a, stock)[::2] == (D(8), D("5600.00"))
        assert on_hand(env, b, stock)[0] == D(5)
        loss = env.ref_id("stock.stock_location_inventory")
        assert on_hand(env, a, loss)[::2] == (D(2), D("1400.00"))
        assert on_hand(env, b, loss)[0] == D(-1)
        with pytest.raises(UserError, match="no longer open"):
            env["stock.inventory.line"].write([by_product[a]], {"product_qty": D(1)})


def test_reorder_rules_and_low_stock_list(stock_rt):
    with stock_rt.env() as env:
        product = make_product(env, "红外额温枪", "60")
        wh = env.ref_id("stock.warehouse_main")
        rule = env["stock.warehouse.orderpoint"].create({
            "product_id": product, "warehouse_id": wh, "product_min_qty": D(20),
            "product_max_qty": D(100)})
        low = env["stock.warehouse.orderpoint"].low_stock()
        assert [(r["id"], r["qty_to_order"]) for r in low] == [(rule, D(100))]
        assert env["stock.warehouse.orderpoint"].display_names([rule]) == {
            rule: "红外额温枪 @ WH"}
        receive(env, product, 30, "60")
        assert env["stock.warehouse.orderpoint"].low_stock() == []
        deliver(env, product, 15)
        low = env["stock.warehouse.orderpoint"].low_stock(warehouse_id=wh)
        assert [(r["qty_on_hand"], r["qty_to_order"]) for r in low] == [(D(15), D(85))]
        with pytest.raises(ValidationError, match="minimum"):
            env["stock.warehouse.orderpoint"].write([rule], {"product_max_qty": D(5)})


# -- security --------------------------------------------------------------------------------


def test_record_rules_restrict_keepers_to_their_warehouses(stock_rt):
    with stock_rt.env() as env:
        keeper = make_user(env, "gz_keeper", ["stock.group_keeper"])
        other = make_user(env, "wh_keeper", ["stock.group_keeper"])
        manager = make_user(env, "boss", ["stock.group_manager"])
        gz = env["stock.warehouse"].create({"name": "广州分仓", "code": "GZ",
                                            "user_ids": [(6, 0, [keeper])]})
        product = make_product(env, "雾化器", "200")
        gz_picking = transfer(env, "incoming", [(product, 1)],
                              picking_type_id=env["stock.picking.type"].search(
                                  [("warehouse_id", "=", gz), ("code", "=", "incoming")])[0])
        main_picking = transfer(env, "incoming", [(product, 1)])
    with stock_rt.env(uid=keeper) as env:
        assert set(env["stock.picking"].search([])) == {gz_picking, main_picking}
        gz_count = env["stock.inventory"].create({"location_id": env["stock.warehouse"].read(
            [gz], ["lot_stock_id"])[0]["lot_stock_id"][0]})
    with stock_rt.env(uid=other) as env:
        assert env["stock.picking"].search([]) == [main_picking]
        assert gz_count not in env["stock.inventory"].search([])
        with pytest.raises(AccessError):
            env["stock.picking"].write([gz_picking], {"note": "x"})
    with stock_rt.env(uid=manager) as env:
        assert set(env["stock.picking"].search([])) == {gz_picking, main_picking}
        env["stock.warehouse"].write([gz], {"sequence": 5})


def test_groups_decide_who_moves_stock(stock_rt):
    with stock_rt.env() as env:
        clerk = make_user(env, "clerk", ["base.group_user"])
        product = make_product(env, "轮椅", "700")
        picking = transfer(env, "incoming", [(product, 2)])
    with stock_rt.env(uid=clerk) as env:
        assert env["stock.quant"].search_count([]) == 0  # may read stock figures
        with pytest.raises(AccessError):
            env["stock.picking"].call("button_validate", [picking])
        with pytest.raises(AccessError):
            env["stock.warehouse"].create({"name": "X", "code": "X"})


def test_available_and_counted_differences_follow_their_quantities(stock_rt):
    """A quant's available quantity and a count line's difference are stored computed fields:
    changed on the ORM records (no stock code), they are right at the next read."""
    with stock_rt.env() as env:
        product = make_product(env, "血糖仪", "0")
        receive(env, product, 10, "50")
        stock = main_stock(env)
        quants = env["stock.quant"]
        quant = quants.browse_unchecked(quants.search([("product_id", "=", product),
                                                       ("location_id", "=", stock)]))[0]
        quant.reserved_quantity = D(3)
        assert quants.read([quant.id], ["available_quantity"])[0]["available_quantity"] == D(7)
        count = env["stock.inventory"].create({"location_id": stock})
        env["stock.inventory"].call("action_start", [count])
        lines = env["stock.inventory.line"]
        line = lines.browse_unchecked(lines.search([("inventory_id", "=", count),
                                                    ("product_id", "=", product)]))[0]
        line.product_qty = D(12)
        assert lines.read([line.id], ["difference_qty"])[0]["difference_qty"] == D(2)
