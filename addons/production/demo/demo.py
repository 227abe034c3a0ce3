"""Production demo data: a small factory making the medical devices of the stock demo, with
three-level bills of materials, two work centres, the production posts and opening stock of the
bought components. Deterministic."""

from __future__ import annotations

from decimal import Decimal

from core.translate import N_

USERS = [
    ("demo_planner", "planner.chen", "陈计划", "production.group_planner"),
    ("demo_workshop", "workshop.wu", "吴主任", "production.group_workshop"),
    ("demo_quality", "quality.zheng", "郑质检", "production.group_quality"),
]
WORKCENTERS = [
    ("wc_assembly", N_("Assembly line"), "ASM", 1, "36.00", "18.00"),
    ("wc_smt", N_("SMT workshop"), "SMT", 10, "48.00", "60.00"),
]
# xmlid, name, code, cost: the bought components and the sub-assemblies
PRODUCTS = [
    ("comp_ic", "血压测量芯片", "KY-C-IC01", "12.5000"),
    ("comp_res", "贴片电阻", "KY-C-R100", "0.0500"),
    ("comp_lcd", "液晶显示屏", "KY-C-LCD3", "18.0000"),
    ("comp_shell", "ABS 外壳", "KY-C-SHL", "6.2000"),
    ("comp_cuff", "臂式袖带", "KY-C-CUF", "22.0000"),
    ("comp_box", "包装盒", "KY-C-BOX", "3.5000"),
    ("comp_regrind", "ABS 回收料", "KY-C-RGD", "1.0000"),
    ("sub_pcb", "血压计主板", "KY-S-PCB", "0"),
    ("sub_main", "血压计主机", "KY-S-MAIN", "0"),
]
# bom xmlid, product, qty, delay, lines (component, qty, scrap %), by-products, operations
# (names in English, translated by the addon's catalog: the fields are translate=True)
BOMS = [
    ("bom_bp100", "product.product_bp100", 1, 2,
     [("sub_main", 1, 0), ("comp_cuff", 1, 0), ("comp_box", 1, 0)], [],
     [(N_("Final assembly and calibration"), "wc_assembly", 12)]),
    ("bom_main", "sub_main", 1, 1,
     [("sub_pcb", 1, 0), ("comp_lcd", 1, 2), ("comp_shell", 2, 5)],
     [("comp_regrind", "0.1", 1)], [(N_("Main unit assembly"), "wc_assembly", 8)]),
    ("bom_pcb", "sub_pcb", 10, 1, [("comp_ic", 10, 1), ("comp_res", 200, 5)], [],
     [(N_("SMT soldering"), "wc_smt", 30)]),
]
OPENING = [("comp_ic", 200), ("comp_res", 5000), ("comp_lcd", 150), ("comp_shell", 300),
           ("comp_cuff", 100), ("comp_box", 200)]


def load(loader):
    env = loader.env
    for xmlid, login, name, group in USERS:
        loader.record(f"production.{xmlid}", "res.users", {
            "login": login, "name": name, "password": "demo12345", "lang": "zh_CN",
            "groups_id": [(6, 0, [loader.resolve(group)])]})
    for xmlid, name, code, capacity, labour, overhead in WORKCENTERS:
        loader.record(f"production.{xmlid}", "mrp.workcenter", {
            "name": name, "code": code, "default_capacity": capacity,
            "costs_hour": Decimal(labour), "costs_hour_overhead": Decimal(overhead)})
    category = loader.resolve("product.categ_home")
    # products and stock outlive the addon (they have moves): created once, found by code
    products, fresh = {}, False
    for key, name, code, cost in PRODUCTS:
        found = env["product.product"].search([("default_code", "=", code)], limit=1)
        fresh = fresh or not found
        products[key] = found[0] if found else env["product.product"].create({
            "name": name, "default_code": code, "type": "product", "categ_id": category,
            "standard_price": Decimal(cost), "sale_ok": False,
            "purchase_ok": not key.startswith("sub_")})

    def ref(name):
        return loader.resolve(name) if "." in name else products.get(name) or loader.resolve(
            f"production.{name}")

    env["product.product"].write([ref("product.product_ox05")], {"produce_to_order": True})
    for xmlid, product, qty, delay, lines, extras, operations in BOMS:
        loader.record(f"production.{xmlid}", "mrp.bom", {
            "product_id": ref(product), "product_qty": qty, "produce_delay": delay,
            "code": f"BOM-{xmlid[4:].upper()}",
            "bom_line_ids": [(0, 0, {"product_id": ref(p), "product_qty": q,
                                     "scrap_rate": s}) for p, q, s in lines],
            "byproduct_ids": [(0, 0, {"product_id": ref(p), "product_qty": Decimal(q),
                                      "cost_share": share}) for p, q, share in extras],
            "operation_ids": [(0, 0, {"name": n, "workcenter_id": ref(wc),
                                      "time_cycle_manual": minutes})
                              for n, wc, minutes in operations]})
    loader.record("production.demo_production_bp100", "mrp.production", {
        "product_id": loader.resolve("product.product_bp100"), "product_qty": 20,
        "origin": "期初生产计划"})
    if not fresh:
        return
    warehouse = env["stock.warehouse"].search_read([("code", "=", "WH")], ["lot_stock_id"])[0]
    in_type = env["stock.picking.type"].search([("warehouse_id", "=", warehouse["id"]),
                                                ("code", "=", "incoming")], limit=1)[0]
    lines = [(0, 0, {"product_id": ref(x), "product_uom_qty": qty,
                     "price_unit": env["product.product"].read([ref(x)], ["standard_price"])[0][
                         "standard_price"]}) for x, qty in OPENING]
    picking = env["stock.picking"].create({
        "picking_type_id": in_type, "location_id": loader.resolve(
            "stock.stock_location_suppliers"), "location_dest_id": warehouse["lot_stock_id"][0],
        "origin": "期初库存 Opening stock (production)", "move_ids": lines})
    env["stock.picking"].call("button_validate", [picking])

