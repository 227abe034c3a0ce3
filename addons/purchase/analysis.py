"""Purchase analysis: approved purchases by supplier, product or month, and each product's price
trend month by month. One ``read_group`` (SQL GROUP BY, record rules applied) per table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from addons.product.amounts import money

from .common import ZERO

APPROVED = ("state", "in", ("purchase", "done"))
DIMENSIONS = ("partner_id", "product_id", "date_order:month")
COST = Decimal("0.0001")


def _domain(date_from: dt.date, date_to: dt.date) -> list[Any]:
    return [APPROVED, ("date_order", ">=", date_from.isoformat()),
            ("date_order", "<=", date_to.isoformat())]


def _average(amount: Any, qty: Any) -> Decimal:
    qty = Decimal(str(qty or 0))
    return (Decimal(str(amount or 0)) / qty).quantize(COST) if qty else ZERO


def purchases_by(env: Any, dimension: str, date_from: dt.date, date_to: dt.date
                 ) -> list[dict[str, Any]]:
    """Quantity, untaxed amount, VAT, average/lowest/highest unit price and the number of lines
    per ``dimension`` value (one of :data:`DIMENSIONS`)."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    groups = env["purchase.order.line"].read_group(
        _domain(date_from, date_to),
        ["product_qty:sum", "price_subtotal:sum", "price_tax:sum", "low:min(price_unit)",
         "high:max(price_unit)"], [dimension], lazy=False)
    rows = []
    for group in groups:
        key = group[dimension]
        rows.append({"key": key[0] if isinstance(key, (list, tuple)) else key,
                     "label": key[1] if isinstance(key, (list, tuple)) else (key or ""),
                     "qty": Decimal(str(group["product_qty"] or 0)),
                     "amount": money(group["price_subtotal"]), "tax": money(group["price_tax"]),
                     "average": _average(group["price_subtotal"], group["product_qty"]),
                     "low": Decimal(str(group["low"] or 0)),
                     "high": Decimal(str(group["high"] or 0)), "lines": group["__count"]})
    rows.sort(key=lambda r: r["key"] if dimension == "date_order:month" else -r["amount"])
    return rows


def price_trends(env: Any, date_from: dt.date, date_to: dt.date, product_id: int | None = None
                 ) -> list[dict[str, Any]]:
    """Per product and month: the average unit price paid and its change against the product's
    previous month with purchases (percent)."""
    domain = _domain(date_from, date_to)
    if product_id:
        domain.append(("product_id", "=", int(product_id)))
    groups = env["purchase.order.line"].read_group(
        domain, ["product_qty:sum", "price_subtotal:sum"], ["product_id", "date_order:month"],
        lazy=False)
    rows = sorted(({"product_id": g["product_id"][0], "product": g["product_id"][1],
                    "month": g["date_order:month"], "qty": Decimal(str(g["product_qty"] or 0)),
                    "average": _average(g["price_subtotal"], g["product_qty"])}
                   for g in groups if g["product_id"]),
                  key=lambda r: (r["product"], r["month"]))
    previous: dict[int, Decimal] = {}
    for row in rows:
        before = previous.get(row["product_id"])
        row["change"] = (money((row["average"] - before) * 100 / before)
                         if before else None)
        previous[row["product_id"]] = row["average"]
    return rows
