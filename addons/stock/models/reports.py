"""Stock figures computed in SQL: the ledger of a product with its running balance and the
stock value by warehouse or location (goods in transit included)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select

from core.errors import ValidationError
from core.i18n import _

from .location import VALUED_USAGES


def stock_ledger(env: Any, product_id: int, location_id: int | None = None,
                 warehouse_id: int | None = None, date_from: Any = None, date_to: Any = None,
                 offset: int = 0, limit: int | None = 200) -> list[dict[str, Any]]:
    """The done moves of ``product_id`` into or out of a place, oldest first, each with the
    quantity in, out, and the running balance and value after it.

    The place is a location (and everything below it), a warehouse's internal locations, or,
    by default, all of the company's own stock (internal and transit). Moves inside the place
    are left out. One query: the running sums are SQL window functions, so the balance of the
    first row shown includes everything before ``date_from``.
    """
    env.access.check("stock.move", "read")
    move = env.registry["stock.move"]
    location = env.registry["stock.location"]
    place = select(location.id)
    if location_id:
        root = env["stock.location"].read([int(location_id)], ["complete_name"])[0]
        place = place.where((location.id == int(location_id)) | location.complete_name
                            .startswith(f"{root['complete_name']}/"))
    elif warehouse_id:
        place = place.where(location.warehouse_id == int(warehouse_id),
                            location.usage == "internal")
    else:
        place = place.where(location.usage.in_(VALUED_USAGES))
    into, out_of = move.location_dest_id.in_(place), move.location_id.in_(place)
    signed = case((into, move.product_qty), else_=-move.product_qty)
    signed_value = case((into, move.value), else_=-move.value)
    order = (move.date, move.id)
    inner = select(
        move.id, move.date, move.reference, move.origin, move.location_id,
        move.location_dest_id, move.partner_id,
        case((into, move.product_qty), else_=0).label("qty_in"),
        case((out_of, move.product_qty), else_=0).label("qty_out"),
        move.value, move.price_unit,
        func.sum(signed).over(order_by=order).label("balance"),
        func.sum(signed_value).over(order_by=order).label("balance_value"),
    ).where(move.product_id == int(product_id), move.state == "done", into != out_of)
    rule = env.access.rule_expression(move, "read")
    if rule is not None:
        inner = inner.where(rule)
    sub = inner.subquery()
    query = select(sub).order_by(sub.c.date, sub.c.id)
    if date_from:
        query = query.where(sub.c.date >= _as_datetime(date_from))
    if date_to:
        query = query.where(sub.c.date <= _as_datetime(date_to))
    if offset:
        query = query.offset(int(offset))
    if limit:
        query = query.limit(int(limit))
    rows = [dict(row._mapping) for row in env.session.execute(query)]
    names = env.sudo()["stock.location"].display_names(
        {r["location_id"] for r in rows} | {r["location_dest_id"] for r in rows})
    for row in rows:
        for key in ("qty_in", "qty_out", "balance", "balance_value", "value"):
            row[key] = Decimal(row[key] or 0)
        row["location"] = names.get(row.pop("location_id"), "")
        row["location_dest"] = names.get(row.pop("location_dest_id"), "")
    return rows


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def stock_value(env: Any, groupby: str = "warehouse_id") -> list[dict[str, Any]]:
    """Quantity and value of the company's own stock (internal and transit locations) grouped
    by ``warehouse_id``, ``location_id``, ``usage``, ``product_id`` or ``categ_id``: one GROUP BY
    through the model service, so access rights apply."""
    if groupby not in ("warehouse_id", "location_id", "usage", "product_id", "categ_id"):
        raise ValidationError(_("The stock value cannot be grouped by %(field)s.", field=groupby))
    return env["stock.quant"].read_group([("usage", "in", list(VALUED_USAGES))],
                                         ["quantity:sum", "value:sum"], [groupby], lazy=False)
