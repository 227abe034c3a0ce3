"""Stock analyses: on hand and value by warehouse and product line, moves by month (turnover),
and slow-moving stock (products by the month of their last move)."""

from __future__ import annotations

from core.i18n import _l

from ..declare import Analysis, Dashboard, Tile

INTERNAL = (("usage", "=", "internal"),)
DONE = (("state", "=", "done"),)

ITEMS = [
    Analysis("analytics.stock_on_hand", _l("Stock on hand by warehouse"), "stock.quant",
             rows=("warehouse_id", "categ_id"), measures=("quantity:sum", "value:sum"),
             domain=INTERNAL),
    Analysis("analytics.stock_value", _l("Stock value by warehouse"), "stock.quant",
             rows=("warehouse_id",), measures=("value:sum",), domain=INTERNAL, kind="graph",
             chart="pie"),
    Analysis("analytics.stock_moves", _l("Stock moves by month"), "stock.move",
             rows=("product_id",), cols=("date:month",), measures=("product_qty:sum",),
             domain=DONE, date_field="date", period="this_year"),
    Analysis("analytics.stock_turnover", _l("Moves by warehouse and month"), "stock.move",
             rows=("date:month",), cols=("warehouse_id",), measures=("value:sum",),
             domain=DONE, kind="graph", chart="line"),
    Analysis("analytics.stock_aging", _l("Stock aging (last move)"), "stock.move",
             rows=("product_id",), cols=("date:quarter",), measures=("__count",),
             domain=DONE),
    Tile("analytics.tile_stock_value", _l("Stock value"), "stock.quant", measure="value:sum",
         domain=INTERNAL, analysis="analytics.stock_on_hand"),
    Tile("analytics.tile_stock_moves", _l("Moves done"), "stock.move", date_field="date",
         domain=DONE, analysis="analytics.stock_moves"),
    Dashboard("analytics.dashboard_stock", _l("Warehouse manager"),
              tiles=("analytics.tile_stock_value", "analytics.tile_stock_moves"),
              charts=("analytics.stock_value", "analytics.stock_turnover")),
    Dashboard("analytics.dashboard_general", _l("General manager"),
              tiles=("analytics.tile_stock_value",)),
]
