"""Menus and views of the stock addon (generic web UI, see ``docs/ui.md``)."""

from __future__ import annotations

from core.i18n import _l
from core.menus import MenuItem
from core.views import Button, Field, Filter, FormView, ListView

from .security import KEEPER, MANAGER

ROOT = "stock.menu_root"


def menus() -> list[MenuItem]:
    return [
        MenuItem(ROOT, _l("Inventory"), sequence=40),
        MenuItem("stock.menu_operations", _l("Operations"), ROOT, 10),
        MenuItem("stock.menu_pickings", _l("Transfers"), "stock.menu_operations", 10,
                 model="stock.picking"),
        MenuItem("stock.menu_inventories", _l("Inventory counts"), "stock.menu_operations", 20,
                 model="stock.inventory", groups=(KEEPER,)),
        MenuItem("stock.menu_orderpoints", _l("Reorder rules"), "stock.menu_operations", 30,
                 model="stock.warehouse.orderpoint"),
        MenuItem("stock.menu_reporting", _l("Reporting"), ROOT, 20),
        MenuItem("stock.menu_quants", _l("Stock on hand"), "stock.menu_reporting", 10,
                 model="stock.quant"),
        MenuItem("stock.menu_moves", _l("Stock moves"), "stock.menu_reporting", 20,
                 model="stock.move"),
        MenuItem("stock.menu_ledger", _l("Stock ledger"), "stock.menu_reporting", 30,
                 url="/web/page/stock/ledger"),
        MenuItem("stock.menu_value", _l("Stock value"), "stock.menu_reporting", 40,
                 url="/web/page/stock/value"),
        MenuItem("stock.menu_config", _l("Configuration"), ROOT, 90, groups=(MANAGER,)),
        MenuItem("stock.menu_warehouses", _l("Warehouses"), "stock.menu_config", 10,
                 model="stock.warehouse"),
        MenuItem("stock.menu_locations", _l("Locations"), "stock.menu_config", 20,
                 model="stock.location"),
        MenuItem("stock.menu_picking_types", _l("Operation types"), "stock.menu_config", 30,
                 model="stock.picking.type"),
    ]


MOVE_LINE_COLUMNS = ("product_id", "product_uom_qty", "product_uom", "quantity")


def views() -> list[object]:
    keepers = (KEEPER,)
    return [
        ListView("stock.warehouse", ("name", "code", "is_transit", "partner_id", "active"),
                 search=("name", "code")),
        FormView("stock.warehouse", ("name", "code", "is_transit", "partner_id", "sequence",
                                     "view_location_id", "lot_stock_id",
                                     Field("user_ids", widget="tags"), "active")),
        ListView("stock.location", ("complete_name", "usage", "warehouse_id", "partner_id",
                                    "active"),
                 search=("complete_name", "partner_id"),
                 filters=(Filter("internal", _l("Internal"), (("usage", "=", "internal"),)),
                          Filter("transit", _l("Transit (发出商品)"),
                                 (("usage", "=", "transit"),))),
                 group_by=("usage", "warehouse_id")),
        FormView("stock.location", ("name", "location_id", "usage", "warehouse_id",
                                    "partner_id", "barcode", "active")),
        ListView("stock.picking.type", (Field("name", translate=True), "code", "warehouse_id",
                                        "sequence_code",
                                        "two_step_approval", "require_origin"),
                 group_by=("warehouse_id", "code")),
        ListView("stock.picking", ("name", "partner_id", "origin", "picking_type_id",
                                   "location_id", "location_dest_id", "scheduled_date",
                                   "state"),
                 search=("name", "origin", "partner_id", "picking_type_id"),
                 filters=(Filter("ready", _l("Ready"), (("state", "=", "assigned"),)),
                          Filter("waiting", _l("Waiting"),
                                 (("state", "in", ["draft", "confirmed"]),)),
                          Filter("to_inspect", _l("To inspect (二审)"),
                                 (("state", "=", "approved"),)),
                          Filter("done", _l("Done"), (("state", "=", "done"),))),
                 group_by=("state", "picking_type_id", "warehouse_id", "partner_id")),
        FormView("stock.picking", (
            "name", "picking_type_id", "partner_id", "origin", "location_id",
            "location_dest_id", "scheduled_date", Field("state", readonly=True),
            Field("move_ids", columns=MOVE_LINE_COLUMNS), "backorder_id",
            "first_approval_uid", "first_approval_date", "second_approval_uid",
            "second_approval_date", "date_done", Field("note", widget="textarea")),
            # the workflow panel adds the transitions (一审, 二审, validate, cancel…)
            buttons=(Button("action_assign", _l("Check availability"), keepers),
                     Button("action_unreserve", _l("Unreserve"), keepers))),
        ListView("stock.move", ("date", "reference", "product_id", "location_id",
                                "location_dest_id", "product_qty", "price_unit", "value",
                                "state"),
                 search=("reference", "product_id", "origin", "location_id",
                         "location_dest_id"),
                 filters=(Filter("done", _l("Done"), (("state", "=", "done"),)),
                          Filter("open", _l("Not done"),
                                 (("state", "not in", ["done", "cancel"]),))),
                 group_by=("product_id", "location_id", "location_dest_id", "warehouse_id",
                           "state")),
        ListView("stock.quant", ("product_id", "location_id", "warehouse_id", "quantity",
                                 "reserved_quantity", "available_quantity", "value"),
                 search=("product_id", "location_id", "warehouse_id"),
                 filters=(Filter("internal", _l("In stock"), (("usage", "=", "internal"),)),
                          Filter("transit", _l("Goods shipped (发出商品)"),
                                 (("usage", "=", "transit"),)),
                          Filter("company", _l("Company's own stock"),
                                 (("usage", "in", ["internal", "transit"]),))),
                 group_by=("warehouse_id", "location_id", "product_id", "categ_id", "usage")),
        ListView("stock.inventory", ("name", "location_id", "warehouse_id", "date", "state"),
                 search=("name", "location_id"), group_by=("state", "warehouse_id")),
        FormView("stock.inventory", (
            "name", "location_id", "date", Field("state", readonly=True),
            Field("line_ids", columns=("product_id", "location_id", "product_qty")),
            Field("note", widget="textarea"))),
        ListView("stock.warehouse.orderpoint", ("product_id", "warehouse_id", "product_min_qty",
                                                "product_max_qty", "qty_on_hand",
                                                "qty_to_order", "below_min"),
                 search=("product_id", "warehouse_id"),
                 filters=(Filter("low", _l("Low stock"), (("below_min", "=", True),)),),
                 group_by=("warehouse_id", "below_min")),
        FormView("stock.warehouse.orderpoint", ("product_id", "warehouse_id",
                                                "product_min_qty", "product_max_qty",
                                                "qty_on_hand", "qty_to_order", "below_min",
                                                "active")),
    ]
