"""Roll-ups: delivered and invoiced quantities per line, and each order's progress.

Everything is recomputed from the documents (delivery notices shipped, invoicing notices not
cancelled, collections posted) with GROUP BY queries, never incremented, so a cancelled document
or a repeated event cannot make the figures drift.

* ``qty_delivered``: quantities of shipped delivery notices (services count as delivered once the
  order is approved: there is nothing to ship);
* ``qty_invoiced``: quantities on invoicing notices that are not cancelled (requested or issued),
  so the same goods are never put on two notices;
* ``amount_invoiced``: totals of notices whose invoice was issued; ``amount_collected``: the
  allocations of posted collections; ``amount_due`` what is invoiced and not collected;
* ``payment_due_date``: the due date of the oldest issued invoice not covered by the collections.

An approved order that is fully delivered, invoiced and collected locks itself (``done``); it
unlocks if a document is cancelled afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from addons.product.amounts import money, percent

__all__ = ["refresh_orders"]

ZERO = Decimal(0)


def _written(env: Any, cls: type, changes: list[dict[str, Any]]) -> None:
    """Lines the session holds take the figures just written by SQL (as if read again; only
    ``write_date``, set by the statement, is read again when used)."""
    by_id = {c["line_id"]: c for c in changes}
    for obj in list(env.session.identity_map.values()):
        change = by_id.get(getattr(obj, "id", None)) if isinstance(obj, cls) else None
        if change is None:
            continue
        for name, key in (("qty_delivered", "done"), ("qty_invoiced", "billed"),
                          ("qty_to_invoice", "left")):
            scale = getattr(cls.__table__.c[name].type, "scale", None)  # as read back
            value = change[key]
            set_committed_value(obj, name, value if scale is None else value.quantize(
                Decimal(1).scaleb(-scale)))
        env.session.expire(obj, ["write_date"])


def _summed(column: Any, owner: Any, where: Any, line: Any) -> Any:
    """The sum of ``column`` over the rows of ``owner`` (a line's notices) matching ``where``,
    for each order line of the enclosing query."""
    return select(func.coalesce(func.sum(column), 0)).where(owner == line.id, where) \
        .scalar_subquery()


def refresh_lines(env: Any, order_ids: list[int]) -> list[dict[str, Any]]:
    """Recompute ``qty_delivered``, ``qty_invoiced`` and ``qty_to_invoice`` of the orders' lines
    (one query reads them with their sums); returns each line's figures as they are now."""
    registry = env.registry
    line, order, product = (registry["sale.order.line"], registry["sale.order"],
                            registry["product.product"])
    dline, dnote = registry["sale.delivery.notice.line"], registry["sale.delivery.notice"]
    iline, inote = registry["sale.invoice.notice.line"], registry["sale.invoice.notice"]
    rows = env.session.execute(
        select(line.id, line.order_id, line.product_uom_qty, line.price_total, product.type,
               order.state, line.qty_delivered, line.qty_invoiced, line.qty_to_invoice,
               _summed(dline.product_uom_qty, dline.order_line_id,
                       dline.notice_id.in_(select(dnote.id).where(dnote.state == "done")),
                       line).label("delivered"),
               _summed(iline.quantity, iline.order_line_id,
                       iline.notice_id.in_(select(inote.id).where(inote.state != "cancel")),
                       line).label("invoiced"),
               *_order_columns(env, order))
        .join(order, order.id == line.order_id).join(product, product.id == line.product_id)
        .where(line.order_id.in_(order_ids))).all()
    changes, figures = [], []
    for row in rows:
        done = Decimal(str(row.delivered or 0))
        if row.type == "service" and row.state in ("sale", "done"):
            done = Decimal(row.product_uom_qty)
        billed = Decimal(str(row.invoiced or 0))
        new = (done, billed, max(done - billed, ZERO))
        if new != (row.qty_delivered, row.qty_invoiced, row.qty_to_invoice):
            changes.append({"line_id": row.id, "done": new[0], "billed": new[1], "left": new[2]})
        figures.append({"order_id": row.order_id, "product_uom_qty": row.product_uom_qty,
                        "qty_delivered": new[0], "qty_invoiced": new[1],
                        "price_total": row.price_total, "invoice_count": row.invoice_count,
                        "first_due": row.first_due, "billed": row.billed,
                        "collected": row.collected})
    if not changes:
        return figures
    table = line.__table__
    env.session.execute(update(table).where(table.c.id == bindparam("line_id")).values(
        qty_delivered=bindparam("done"), qty_invoiced=bindparam("billed"),
        qty_to_invoice=bindparam("left")), changes)  # one executemany, only lines that moved
    _written(env, line, changes)
    return figures


def _order_figures(lines: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    figures: dict[int, dict[str, Any]] = defaultdict(lambda: {
        "delivered": ZERO, "full": True, "any": False, "to_invoice": False, "billed_all": True})
    for row in lines:
        fig = figures[row["order_id"]]
        qty, done, billed = (Decimal(row["product_uom_qty"] or 0),
                             Decimal(row["qty_delivered"] or 0),
                             Decimal(row["qty_invoiced"] or 0))
        share = min(done / qty, Decimal(1)) if qty else ZERO
        fig["delivered"] += Decimal(row["price_total"] or 0) * share
        fig["full"] = fig["full"] and done >= qty
        fig["any"] = fig["any"] or done > 0
        fig["to_invoice"] = fig["to_invoice"] or done > billed
        fig["billed_all"] = fig["billed_all"] and billed >= qty
    return figures


def _order_columns(env: Any, order: Any) -> list[Any]:
    """Per order of the enclosing query: how many of its invoicing notices were invoiced, the
    first one's due date and their total, and its posted collections (read with its lines)."""
    inote = env.registry["sale.invoice.notice"]
    invoiced = (inote.order_id == order.id, inote.state == "invoiced")
    return [select(func.count()).select_from(inote).where(*invoiced).scalar_subquery()
            .label("invoice_count"),
            select(func.min(inote.date_due)).where(*invoiced).scalar_subquery()
            .label("first_due"),
            select(func.coalesce(func.sum(inote.amount_total), 0)).where(*invoiced)
            .scalar_subquery().label("billed"),
            _collected(env, order).label("collected")]


def _invoices(env: Any, order_ids: list[int]) -> dict[int, list[tuple[Any, Decimal]]]:
    inote = env.registry["sale.invoice.notice"]
    result: dict[int, list[tuple[Any, Decimal]]] = defaultdict(list)
    for row in env.session.execute(select(inote.order_id, inote.date_due, inote.amount_total)
                                   .where(inote.order_id.in_(order_ids),
                                          inote.state == "invoiced")
                                   .order_by(inote.date_due, inote.id)):
        result[row.order_id].append((row.date_due, Decimal(row.amount_total or 0)))
    return result


def _collected(env: Any, order_cls: Any) -> Any:
    """The allocations of posted collections to each order of the enclosing query."""
    alloc, coll = env.registry["sale.collection.allocation"], env.registry["sale.collection"]
    return select(func.coalesce(func.sum(alloc.amount), 0)).join(
        coll, coll.id == alloc.collection_id).where(alloc.order_id == order_cls.id,
                                                    coll.state == "posted").scalar_subquery()


def refresh_orders(env: Any, order_ids: Iterable[int]) -> None:
    """Recompute the lines' quantities and the orders' progress, then lock or unlock them."""
    ids = sorted({i for i in order_ids if i})
    if not ids:
        return
    env.flush_all()  # line amounts read below by SQL
    lines = refresh_lines(env, ids)
    figures, invoices = _order_figures(lines), _invoice_lists(env, ids, lines)
    collected = {row["order_id"]: row["collected"] for row in lines}
    if set(collected) != set(ids):  # orders without lines
        order_cls = env.registry["sale.order"]
        collected.update(env.session.execute(select(order_cls.id, _collected(env, order_cls))
                                             .where(order_cls.id.in_(set(ids) - set(collected))))
                         .tuples())
    to_move: list[tuple[int, str]] = []
    for order in env.sudo()["sale.order"].browse_unchecked(ids):  # held by the session mostly
        fig = figures[order.id]
        total = Decimal(order.amount_total or 0)
        billed = sum((amount for _due, amount in invoices[order.id]), ZERO)
        paid = money(Decimal(str(collected.get(order.id) or 0)))
        order.amount_delivered = money(fig["delivered"])
        order.amount_invoiced = money(billed)
        order.amount_collected = money(paid)
        order.amount_due = money(max(billed - paid, ZERO))
        order.delivered_percent = percent(fig["delivered"], total)
        order.invoiced_percent = percent(billed, total)
        order.collected_percent = percent(paid, total)
        order.delivery_status = "full" if fig["full"] and fig["any"] else (
            "partial" if fig["any"] else "no")
        order.invoice_status = "invoiced" if fig["billed_all"] and fig["any"] else (
            "to invoice" if fig["to_invoice"] else "no")
        order.payment_due_date = _first_unpaid_due(invoices[order.id], paid)
        complete = (fig["full"] and fig["billed_all"] and total > 0 and billed >= total
                    and paid >= total)
        if order.state == "sale" and complete:
            to_move.append((order.id, "lock"))
        elif order.state == "done" and not complete:
            to_move.append((order.id, "unlock"))
    if to_move:
        from core.workflow_engine import take_transition

        for order_id, transition in to_move:
            take_transition(env.sudo(), "sale.order", order_id, transition)


def _invoice_lists(env: Any, order_ids: list[int],
                   lines: list[dict[str, Any]]) -> dict[int, list[tuple[Any, Decimal]]]:
    """:func:`_invoices` from the summary read with the lines; their own query only for orders
    invoiced more than once (the due date not covered depends on their order)."""
    result: dict[int, list[tuple[Any, Decimal]]] = defaultdict(list)
    summary = {row["order_id"]: row for row in lines}
    several = [i for i in order_ids if i not in summary or summary[i]["invoice_count"] > 1]
    for order_id, row in summary.items():
        if row["invoice_count"] == 1:
            result[order_id].append((row["first_due"], money(Decimal(str(row["billed"])))))
    if several:
        result.update(_invoices(env, several))
    return result


def _first_unpaid_due(invoices: list[tuple[Any, Decimal]], paid: Decimal) -> Any:
    covered = paid
    for due, amount in invoices:
        if covered < amount:
            return due
        covered -= amount
    return None
