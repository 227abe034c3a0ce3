"""Valuation vouchers for done stock moves (perpetual inventory, SA-003 step 3 and 6).

Each batch of done moves (the ``stock_moves_done`` hook) becomes one posted voucher in the 存货核算
journal, a debit and a credit per valued move at its cost (``stock.move.value``). The accounts
follow the kind of locations the goods leave and enter:

================  ================  =========================================================
from              to                entry
================  ================  =========================================================
internal          transit           Dr 1406 发出商品 / Cr 1405 库存商品 (shipped, not invoiced)
transit           internal          Dr 1405 / Cr 1406 (returned from the customer's transit)
transit           customer          matched to an invoice line: booked by the month-end cost of
                                    sales voucher; otherwise Dr 6401 主营业务成本 / Cr 1406
internal          customer          Dr 6401 / Cr 1405 (direct delivery)
customer          internal          Dr 1405 / Cr 6401 (customer return)
supplier          internal          Dr 1405 / Cr 1402 在途物资 (cleared by the vendor bill)
internal          supplier          Dr 1402 / Cr 1405
inventory         internal          Dr 1405 / Cr 1901 待处理财产损溢 (count gain), and back
production        internal          Dr 1405 / Cr 5001 生产成本, and back
================  ================  =========================================================
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from addons.accounting.models.chart import money

#: (source usage, destination usage) → (debit account code, credit account code)
ACCOUNTS = {
    ("internal", "transit"): ("1406", "1405"),
    ("transit", "internal"): ("1405", "1406"),
    ("transit", "customer"): ("6401", "1406"),
    ("internal", "customer"): ("6401", "1405"),
    ("customer", "internal"): ("1405", "6401"),
    ("supplier", "internal"): ("1405", "1402"),
    ("internal", "supplier"): ("1402", "1405"),
    ("inventory", "internal"): ("1405", "1901"),
    ("internal", "inventory"): ("1901", "1405"),
    ("production", "internal"): ("1405", "5001"),
    ("internal", "production"): ("5001", "1405"),
}


def _account(env: Any, code: str) -> int:
    return env.ref_id(f"accounting.account_{code}")


def book_moves(env: Any, move_ids: list[int]) -> int | None:
    """Post the valuation voucher of ``move_ids`` (done moves); returns its id, or None when
    nothing is valued. While accounting's data is not loaded yet (moves done earlier in the
    same installation), nothing is booked: :func:`book_existing_stock` catches up."""
    sudo = env.sudo()
    journal = env.ref_id("accounting.journal_stock", raise_if_not_found=False)
    if journal is None:
        return None
    move_cls = env.registry["stock.move"]
    moves = list(env.session.scalars(select(move_cls).where(move_cls.id.in_(move_ids))
                                     .order_by(move_cls.id)))
    products = sudo["product.product"].browse_unchecked(  # in one query, kept meanwhile
        list({m.product_id for m in moves}))
    location_ids = {m.location_id for m in moves} | {m.location_dest_id for m in moves}
    locations = {loc.id: loc for loc in sudo["stock.location"].browse_unchecked(
        sorted(location_ids))}  # held by the session after the moves were done: no query
    lines, booked, day = [], [], None
    for move in moves:
        source, dest = locations[move.location_id], locations[move.location_dest_id]
        pair = ACCOUNTS.get((source.usage, dest.usage))
        value = money(move.value)
        if pair is None or not value or move.cost_match_id:
            continue
        partner = move.partner_id or source.partner_id or dest.partner_id or False
        label = f"{move.reference or ''} {move.product.display_name}".strip()
        debit, credit = pair
        lines.append((0, 0, {"account_id": _account(env, debit), "partner_id": partner,
                             "name": label, "debit": value, "product_id": move.product_id}))
        lines.append((0, 0, {"account_id": _account(env, credit), "partner_id": partner,
                             "name": label, "credit": value, "product_id": move.product_id}))
        booked.append(move)
        day = max(day, move.date.date()) if day else move.date.date()
    del products
    if not lines:
        return None
    vouchers = sudo["account.move"]
    voucher_id = vouchers.create({
        "journal_id": journal, "date": day,
        "ref": ", ".join(sorted({m.reference for m in booked if m.reference}))[:250] or False,
        "line_ids": lines})
    vouchers.call("action_post", [voucher_id])
    for move in booked:
        move.account_move_id = voucher_id
    return voucher_id


def book_existing_stock(env: Any) -> int:
    """Installation hook: book the done moves that have no valuation voucher yet (stock that
    existed before accounting), one voucher per day. Returns how many vouchers were made."""
    move_cls = env.registry["stock.move"]
    rows = env.session.execute(select(move_cls.id, move_cls.date).where(
        move_cls.state == "done", move_cls.account_move_id.is_(None),
        move_cls.cost_match_id.is_(None)).order_by(move_cls.date, move_cls.id)).all()
    by_day: dict[Any, list[int]] = {}
    for move_id, when in rows:
        by_day.setdefault(when.date(), []).append(move_id)
    return sum(1 for ids in by_day.values() if book_moves(env, ids))


def transit_value(env: Any) -> Decimal:
    """The value of the goods in transit locations (stock quants, one SUM query)."""
    from sqlalchemy import func

    quant = env.registry["stock.quant"]
    return money(env.session.scalar(select(func.coalesce(func.sum(quant.value), 0)).where(
        quant.usage == "transit")))
