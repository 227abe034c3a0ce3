"""The stock engine: reserve, unreserve and do moves, keeping quants and values consistent.

Everything here runs inside the caller's transaction. Product rows and then quant rows are
locked (``SELECT … FOR UPDATE``, in id order, always in that order so that transactions cannot
deadlock each other) before they are read, so on PostgreSQL two
transfers competing for the last units queue up and the second sees what the first left; no
transfer takes more than is available unless the company allows negative stock.

Valuation is the moving average per product over the company's own stock (internal and transit
locations): goods entering it from outside (receipt, count surplus, production) bring their unit
cost and update the average; every other move is valued at the current average; a move that
empties a quant takes exactly that quant's remaining value. Each move stores its ``value`` and
``price_unit``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select

from core.errors import UserError
from core.i18n import _
from core.models import lock_rows, utcnow
from core.money import money

from .location import VALUED_USAGES
from .quant import lock_quants

COST = Decimal("0.0001")
ZERO = Decimal(0)


def allow_negative(env: Any) -> bool:
    """Does the acting user's company allow negative stock?"""
    company_cls, users = env.registry["res.company"], env.registry["res.users"]
    first = select(func.min(company_cls.id)).scalar_subquery()
    company: Any = first
    if env.uid is not None:  # the user's company, else the first one: one query
        company = func.coalesce(
            select(users.company_id).where(users.id == env.uid).scalar_subquery(), first)
    return bool(env.session.scalar(select(company_cls.stock_allow_negative).where(
        company_cls.id == company)))


def _locations(env: Any, moves: Iterable[Any]) -> dict[int, Any]:
    """The moves' source and destination locations (those the session holds: no query)."""
    ids = {m.location_id for m in moves} | {m.location_dest_id for m in moves}
    return {loc.id: loc for loc in env.sudo()["stock.location"].browse_unchecked(sorted(ids))}


def _lock_products(env: Any, product_ids: set[int]) -> dict[int, Any]:
    if not product_ids:
        return {}
    return lock_rows(env.session, env.registry["product.product"], product_ids)


def _shortage(move: Any, location: Any, wanted: Decimal, free: Decimal) -> UserError:
    return UserError(_("Not enough %(product)s in %(location)s: %(wanted)s needed, %(free)s "
                       "available.", product=move.product.display_name,
                       location=location.complete_name, wanted=_fmt(wanted), free=_fmt(free)))


def _fmt(qty: Decimal) -> str:
    text = f"{Decimal(qty).normalize():f}"
    return text


# -- reservation -----------------------------------------------------------------------------


def assign(env: Any, moves: list[Any], strict: bool = False) -> None:
    """Reserve what is available for ``moves`` at their source.

    :param strict: refuse (raise, nothing reserved) unless every move is fully reserved
    """
    moves = [m for m in moves if m.state not in ("done", "cancel")]
    if not moves:
        return
    locations = _locations(env, moves)
    stocked = [m for m in moves if locations[m.location_id].usage in VALUED_USAGES]
    _lock_products(env, {m.product_id for m in stocked})  # same lock order as done()
    quants = lock_quants(env, {(m.product_id, m.location_id) for m in stocked})
    negative = allow_negative(env) if stocked else False
    for move in moves:
        need = Decimal(move.product_qty or 0) - Decimal(move.reserved_qty or 0)
        if locations[move.location_id].usage in VALUED_USAGES and need > 0:
            quant = quants[(move.product_id, move.location_id)]
            free = max(quant.available(), ZERO)
            take = need if negative else min(need, free)
            if strict and take < need:
                raise _shortage(move, locations[move.location_id], need, free)
            quant.add(reserved=take)
            move.reserved_qty = Decimal(move.reserved_qty or 0) + take
        elif need > 0:
            move.reserved_qty = Decimal(move.product_qty or 0)
        move.state = _reservation_state(move)


def _reservation_state(move: Any) -> str:
    reserved, demand = Decimal(move.reserved_qty or 0), Decimal(move.product_qty or 0)
    if reserved >= demand:
        return "assigned"
    return "partially_available" if reserved > 0 else "confirmed"


def unreserve(env: Any, moves: list[Any]) -> None:
    """Give back the reservations of ``moves``."""
    moves = [m for m in moves if m.reserved_qty and m.state != "done"]
    if not moves:
        return
    locations = _locations(env, moves)
    _lock_products(env, {m.product_id for m in moves})  # same lock order as done()
    quants = lock_quants(env, {(m.product_id, m.location_id) for m in moves
                               if locations[m.location_id].usage in VALUED_USAGES})
    for move in moves:
        quant = quants.get((move.product_id, move.location_id))
        if quant is not None:
            quant.add(reserved=-min(Decimal(move.reserved_qty), Decimal(quant.reserved_quantity)))
        move.reserved_qty = ZERO
        if move.state not in ("draft", "cancel"):
            move.state = "confirmed"
    env.session.flush()


# -- doing moves -----------------------------------------------------------------------------


def done(env: Any, moves: list[Any]) -> list[int]:
    """Move the processed quantities of ``moves``: quants, values, average costs, state.

    Raises UserError (and changes nothing, the caller's savepoint rolls back) when a source in
    the company's stock lacks the quantity and negative stock is not allowed. Fires the
    ``stock_moves_done`` hook. Returns the ids of the moves done.
    """
    moves = sorted((m for m in moves if m.state not in ("done", "cancel")), key=lambda m: m.id)
    if not moves:
        return []
    products = _lock_products(env, {m.product_id for m in moves})  # loaded for the units too
    for move in moves:
        if move.quantity is not None and move.quantity != move.product_uom_qty:
            move.product_uom_qty = move.quantity
        move.product_qty = move.to_product_uom(move.product_uom_qty)
    locations = _locations(env, moves)
    for location in locations.values():
        if location.usage == "view":
            raise UserError(_("%(location)s is a view location: it cannot hold stock.",
                              location=location.complete_name))
    quants = lock_quants(env, {(m.product_id, m.location_id) for m in moves}
                         | {(m.product_id, m.location_dest_id) for m in moves})
    negative = allow_negative(env)
    totals = _valued_totals(env, set(products))
    now = done_date(env)
    for move in moves:
        qty = Decimal(move.product_qty or 0)
        source, dest = locations[move.location_id], locations[move.location_dest_id]
        src_quant = quants[(move.product_id, move.location_id)]
        dst_quant = quants[(move.product_id, move.location_dest_id)]
        own = Decimal(move.reserved_qty or 0)
        if source.usage in VALUED_USAGES and not negative:
            free = src_quant.available() + own
            if qty > free:
                raise _shortage(move, source, qty, max(free, ZERO))
        unit, value = _valuation(move, products[move.product_id], source, dest, src_quant, qty,
                                 totals)
        src_quant.add(quantity=-qty, reserved=-min(own, Decimal(src_quant.reserved_quantity)),
                      value=-value)
        dst_quant.add(quantity=qty, value=value)
        move.reserved_qty = ZERO
        move.price_unit = unit
        move.value = value
        move.state = "done"
        move.date = now
    from .orderpoint import refresh_orderpoints

    refresh_orderpoints(env, {m.product_id for m in moves})
    ids = [m.id for m in moves]
    env.registry.pm.hook.stock_moves_done(env=env, move_ids=ids)
    return ids


def done_date(env: Any) -> Any:
    """When the moves are done: now, or the ``stock_done_date`` of the context (a datetime) for a
    transfer entered after the fact (the generated year of data uses it)."""
    return env.context.get("stock_done_date") or utcnow()


def _valued_totals(env: Any, product_ids: set[int]) -> dict[int, list[Decimal]]:
    """``{product: [quantity, value]}`` in the company's own stock (one GROUP BY), kept up to
    date by :func:`_valuation` while a batch of moves is done."""
    quant = env.registry["stock.quant"]
    rows = env.session.execute(select(quant.product_id, func.sum(quant.quantity),
                                      func.sum(quant.value)).where(
        quant.product_id.in_(product_ids), quant.usage.in_(VALUED_USAGES))
        .group_by(quant.product_id))
    totals = {p: [ZERO, ZERO] for p in product_ids}
    for product_id, qty, value in rows:
        totals[product_id] = [Decimal(qty or 0), Decimal(value or 0)]
    return totals


def _valuation(move: Any, product: Any, source: Any, dest: Any, src_quant: Any, qty: Decimal,
               totals: dict[int, list[Decimal]]) -> tuple[Decimal, Decimal]:
    """``(unit cost in the move's unit, value)`` of a move; updates the product's average cost
    when goods enter the company's stock from outside. ``qty`` is in the product's unit;
    ``totals`` holds the product's quantity and value in the company's stock."""
    average = Decimal(product.standard_price or 0)
    src_valued, dst_valued = source.usage in VALUED_USAGES, dest.usage in VALUED_USAGES
    if not src_valued and move.price_unit is not None:
        value = money(Decimal(move.product_uom_qty) * Decimal(move.price_unit))
    elif src_valued and qty == Decimal(src_quant.quantity or 0) and qty > 0 and Decimal(
            src_quant.value or 0) >= 0:
        # empties the quant: takes its whole value. The average is the company's, so a
        # location whose goods cost less than the average can be left owing value (negative):
        # then the move is valued at the average, never below zero.
        value = Decimal(src_quant.value or 0)
    else:
        value = money(qty * average)
    on_hand, worth = totals[product.id]
    if not src_valued and dst_valued and qty > 0:
        base = (worth + value) / (on_hand + qty) if on_hand > 0 else value / qty
        product.standard_price = base.quantize(COST, rounding=ROUND_HALF_UP)
    sign = (1 if dst_valued else 0) - (1 if src_valued else 0)
    totals[product.id] = [on_hand + sign * qty, worth + sign * value]
    demand = Decimal(move.product_uom_qty or 0)
    unit = (value / demand).quantize(COST, rounding=ROUND_HALF_UP) if demand else average
    if not src_valued and move.price_unit is not None:
        unit = Decimal(move.price_unit)
    return unit, value
