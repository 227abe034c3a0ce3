"""Stock demo data: a second warehouse, the keeper and the inspector of SA-003, opening stock
received at cost for the demo products, reorder rules and one count. Deterministic."""

from __future__ import annotations

from decimal import Decimal

USERS = [
    ("demo_keeper", "keeper.liu", "刘保管", "stock.group_keeper"),
    ("demo_inspector", "inspector.zhou", "周检验", "stock.group_inspector"),
    ("demo_stock_manager", "stock.sun", "孙仓管", "stock.group_manager"),
]
# product external id, quantity in the main warehouse, in the Guangzhou warehouse, min, max
OPENING = [
    ("product.product_bp100", 120, 40, 30, 200),
    ("product.product_th20", 200, 60, 50, 300),
    ("product.product_gl30", 80, 20, 20, 120),
    ("product.product_wc01", 25, 8, 5, 40),
    ("product.product_wk02", 30, 10, 8, 50),
    ("product.product_ox05", 12, 4, 5, 30),
    ("product.product_nb10", 45, 15, 50, 100),
    ("product.product_mk50", 600, 200, 100, 1000),
    ("product.product_gl30s", 300, 100, 80, 500),
]


def load(loader):
    env = loader.env
    for xmlid, login, name, group in USERS:
        loader.record(f"stock.{xmlid}", "res.users", {
            "login": login, "name": name, "password": "demo12345", "lang": "zh_CN",
            "groups_id": [(6, 0, [loader.resolve(group)])]})
    loader.record("stock.warehouse_gz", "stock.warehouse",
                  {"name": "广州分仓", "code": "GZ", "sequence": 2})
    supplier = loader.resolve("stock.stock_location_suppliers")
    for code, index in (("WH", 1), ("GZ", 2)):
        warehouse = env["stock.warehouse"].search_read([("code", "=", code)],
                                                       ["lot_stock_id"])[0]
        in_type = env["stock.picking.type"].search([("warehouse_id", "=", warehouse["id"]),
                                                    ("code", "=", "incoming")], limit=1)[0]
        lines = []
        for xmlid, main_qty, gz_qty, _low, _high in OPENING:
            product = env["product.product"].read([loader.resolve(xmlid)], ["standard_price"])[0]
            lines.append((0, 0, {"product_id": product["id"],
                                 "product_uom_qty": main_qty if index == 1 else gz_qty,
                                 "price_unit": Decimal(product["standard_price"])}))
        picking_id = loader.record(f"stock.demo_opening_{code.lower()}", "stock.picking", {
            "picking_type_id": in_type, "location_id": supplier,
            "location_dest_id": warehouse["lot_stock_id"][0], "origin": "期初库存",
            "move_ids": lines})
        env["stock.picking"].call("button_validate", [picking_id])
    main = loader.resolve("stock.warehouse_main")
    for xmlid, _main_qty, _gz, low, high in OPENING:
        loader.record(f"stock.demo_orderpoint_{xmlid.split('.')[1]}",
                      "stock.warehouse.orderpoint",
                      {"product_id": loader.resolve(xmlid), "warehouse_id": main,
                       "product_min_qty": low, "product_max_qty": high})
