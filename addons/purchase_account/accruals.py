"""Month-end 暂估入库: goods received and not billed are booked at the order price (VAT
excluded) on the last day of the month and reversed on the first day of the next.

Dr 1402 在途物资 when receipts are already valued (stock_account: the receipt credited 1402, so
the accrual moves that credit to the payables), else Dr 1405 库存商品; Cr 2202 应付账款 per
supplier. The reversal is posted at once, dated the first of the next month, and written off
against the accrual, so the bill of the next month posts normally. What was received and billed
is taken as of the month's end, so booking it days later (closing the period) books the same.

Booked by the scheduled job ``purchase_account.job_accruals`` at 00:05 China time on the first
of each month (for the month just ended), by closing the period, or by the button on the period.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select

from core.i18n import _, _l
from core.jobs import CronJob
from core.models import utcnow

from .bills import stock_valued
from .matching import receipts_tracked

CENT = Decimal("0.01")
CHINA = ZoneInfo("Asia/Shanghai")


def received_not_billed(env: Any, month_end: dt.date) -> dict[int, Decimal]:
    """Per supplier: the untaxed value of goods received by the end of ``month_end`` (China
    time; done receipts less what their inspections rejected) and not billed by then (posted
    bills dated up to ``month_end``, less credit notes), on approved orders; GROUP BY queries."""
    line = env.registry["purchase.order.line"]
    open_lines = {row.id: row for row in env.session.execute(select(
        line.id, line.partner_id, line.price_unit).where(line.state.in_(("purchase", "done"))))}
    if not open_lines:
        return {}
    received = _received_by(env, list(open_lines), month_end)
    billed = _billed_by(env, list(open_lines), month_end)
    result: dict[int, Decimal] = {}
    for line_id, got in received.items():
        left = got - billed.get(line_id, Decimal(0))
        if left <= 0:
            continue
        row = open_lines[line_id]
        value = (left * Decimal(row.price_unit or 0)).quantize(CENT, rounding=ROUND_HALF_UP)
        result[row.partner_id] = result.get(row.partner_id, Decimal(0)) + value
    return {k: v for k, v in result.items() if v > 0}


def _received_by(env: Any, line_ids: list[int], month_end: dt.date) -> dict[int, Decimal]:
    end = dt.datetime.combine(month_end + dt.timedelta(days=1), dt.time.min, tzinfo=CHINA)
    end = end.astimezone(dt.UTC).replace(tzinfo=None)  # moves' dates are naive UTC
    move, picking = env.registry["stock.move"], env.registry["stock.picking"]
    got = {k: Decimal(str(v or 0)) for k, v in env.session.execute(
        select(move.purchase_line_id, func.sum(move.product_uom_qty))
        .join(picking, picking.id == move.picking_id)
        .where(move.purchase_line_id.in_(line_ids), move.state == "done", move.date < end,
               picking.is_purchase_return.is_not(True))
        .group_by(move.purchase_line_id))}
    check, inspection = (env.registry["purchase.inspection.line"],
                         env.registry["purchase.inspection"])
    for line_id, rejected in env.session.execute(
            select(check.purchase_line_id, func.sum(check.qty_rejected))
            .join(inspection, inspection.id == check.inspection_id)
            .join(move, move.id == check.move_id)
            .where(check.purchase_line_id.in_(line_ids), inspection.state == "done",
                   move.date < end)
            .group_by(check.purchase_line_id)):
        got[line_id] = got.get(line_id, Decimal(0)) - Decimal(str(rejected or 0))
    return got


def _billed_by(env: Any, line_ids: list[int], month_end: dt.date) -> dict[int, Decimal]:
    ml, move = env.registry["account.move.line"], env.registry["account.move"]
    sign = case((move.move_type == "in_refund", -1), else_=1)
    return {k: Decimal(str(v or 0)) for k, v in env.session.execute(
        select(ml.purchase_line_id, func.sum(func.coalesce(ml.quantity, 0) * sign))
        .join(move, move.id == ml.move_id)
        .where(ml.purchase_line_id.in_(line_ids), move.state == "posted",
               move.move_type.in_(("in_invoice", "in_refund")), move.date <= month_end)
        .group_by(ml.purchase_line_id))}


def book_accruals(env: Any, month_end: dt.date) -> int | None:
    """Book the month's 暂估入库 voucher and its reversal; None when there is nothing to book
    or the month is booked already."""
    sudo = env.sudo()
    if not receipts_tracked(env) or sudo["purchase.accrual"].search_count(
            [("date", "=", month_end.isoformat())]):
        return None
    amounts = received_not_billed(env, month_end)
    if not amounts:
        return None
    debit = env.ref_id("accounting.account_1402" if stock_valued(env) else
                       "accounting.account_1405")
    payable = env.ref_id("accounting.account_2202")
    label = _("Goods received not billed (暂估入库) %(month)s", month=f"{month_end:%Y-%m}")
    lines = []
    for partner, amount in sorted(amounts.items()):
        lines.append((0, 0, {"account_id": debit, "partner_id": partner, "name": label,
                             "debit": amount}))
        lines.append((0, 0, {"account_id": payable, "partner_id": partner, "name": label,
                             "credit": amount}))
    moves = sudo["account.move"]
    move_id = moves.create({"journal_id": env.ref_id("accounting.journal_general"),
                            "date": month_end, "ref": label, "line_ids": lines})
    moves.call("action_post", [move_id])
    reversal = moves.call("action_reverse", [move_id],
                          (month_end + dt.timedelta(days=1)).isoformat())
    return sudo["purchase.accrual"].create({
        "date": month_end, "amount": sum(amounts.values(), Decimal(0)), "move_id": move_id,
        "reversal_id": reversal})


def last_month_end(day: dt.date) -> dt.date:
    """The last day of the month before ``day``'s."""
    return day.replace(day=1) - dt.timedelta(days=1)


def book_last_month(env: Any) -> int | None:
    """The scheduled job: the 暂估入库 of the month that ended before today in China (once; a
    month already booked, by the job or by closing its period, is left alone)."""
    china_today = utcnow().replace(tzinfo=dt.UTC).astimezone(CHINA).date()
    return book_accruals(env, last_month_end(china_today))


# 00:05 China time on the 1st is 16:05 UTC on the last day of the month (the scheduler's
# expressions are in UTC; L: the month's last day)
JOBS = [CronJob("purchase_account.job_accruals",
                _l("Purchase: book last month's goods received not billed (暂估入库)"),
                book_last_month, cron="5 16 L * *")]
