"""Stock pages besides the generic views: the stock ledger of a product with its running balance,
and the stock value by warehouse, location type or product category (发出商品 included)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import g, render_template, request

from core.errors import ValidationError
from core.i18n import _
from core.pages import Page

PAGE_SIZE = 100


def qty(value: Any) -> str:
    """A quantity without trailing zeros (``10``, ``2.5``), blank when empty."""
    return f"{Decimal(value).normalize():f}" if value not in (None, "") else ""
VALUE_GROUPS = ("warehouse_id", "usage", "categ_id", "location_id", "product_id")


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def ledger_view() -> Any:
    """``?product_id=&warehouse_id=&page=``: the product's done moves with the balance after
    each, read through the model service (rights and record rules apply)."""
    env = g.env
    products = env["product.product"].search_read([("type", "!=", "service")],
                                                  ["name",
                                                   "default_code"], limit=500)
    warehouses = env["stock.warehouse"].search_read([("is_transit", "=", False)], ["name"])
    product_id, warehouse_id = _int_arg("product_id"), _int_arg("warehouse_id")
    page = max(_int_arg("page") or 1, 1)
    rows = []
    if product_id:
        rows = env["stock.move"].stock_ledger(product_id, warehouse_id=warehouse_id,
                                              offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return render_template("stock/ledger.html", title=_("Stock ledger"), rows=rows,
                           products=products, warehouses=warehouses, product_id=product_id,
                           warehouse_id=warehouse_id, page=page, page_size=PAGE_SIZE, qty=qty)


def value_view() -> Any:
    """``?groupby=``: quantity and value of the company's own stock, one GROUP BY."""
    groupby = request.args.get("groupby", "warehouse_id")
    if groupby not in VALUE_GROUPS:
        raise ValidationError(_("The stock value cannot be grouped by %(field)s.",
                                field=groupby))
    quants = g.env["stock.quant"]
    groups = quants.stock_value(groupby)
    info = quants.fields[groupby]
    labels = dict(info.selection or ())
    for group in groups:
        key = group[groupby]
        group["label"] = (key[1] if isinstance(key, (list, tuple)) else
                          str(labels.get(key, key)) if key else "—")
    total = sum((group["value"] or 0 for group in groups), 0)
    choices = [(name, quants.fields[name].label) for name in VALUE_GROUPS]
    return render_template("stock/value.html", title=_("Stock value"), groups=groups,
                           groupby=groupby, choices=choices, total=total, qty=qty)


PAGES = [
    Page("stock.ledger", "ledger", ledger_view),
    Page("stock.value", "value", value_view),
]
