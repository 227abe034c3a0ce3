"""Month-end 暂估入库: goods received and not billed are booked at the order price (VAT
excluded) on the last day of the month and reversed on the first day of the next.

Dr 1402 在途物资 when receipts are already valued (stock_account: the receipt credited 1402, so
the accrual moves that credit to the payables), else Dr 1405 库存商品; Cr 2202 应付账款 per
supplier. The reversal is posted at once, dated the first of the next month, and written off
against the accrual, so the bill of the next month posts normally.

Booked by the scheduled job ``purchase_account.job_accruals`` at 00:05 China time on the first
of each month (for the month just ended), by closing the period, or by the button on the period.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.i18n import _, _l
from core.jobs import CronJob
from core.models import utcnow

from .bills import stock_valued
from .matching import receipts_tracked

CENT = Decimal("0.01")
CHINA = ZoneInfo("Asia/Shanghai")


def received_not_billed(env: Any) -> dict[int, Decimal]:
    """Per supplier: the untaxed value of goods received and not billed on approved orders."""
    line = env.registry["purchase.order.line"]
    rows = env.session.execute(select(line.partner_id, line.qty_received, line.qty_invoiced,
                                      line.price_unit).where(
        line.state.in_(("purchase", "done")), line.qty_received > line.qty_invoiced))
    result: dict[int, Decimal] = {}
    for partner, got, billed, price in rows:
        value = ((Decimal(got) - Decimal(billed)) * Decimal(price or 0)).quantize(
            CENT, rounding=ROUND_HALF_UP)
        result[partner] = result.get(partner, Decimal(0)) + value
    return {k: v for k, v in result.items() if v > 0}


def book_accruals(env: Any, month_end: dt.date) -> int | None:
    """Book the month's 暂估入库 voucher and its reversal; None when there is nothing to book
    or the month is booked already."""
    sudo = env.sudo()
    if not receipts_tracked(env) or sudo["purchase.accrual"].search_count(
            [("date", "=", month_end.isoformat())]):
        return None
    amounts = received_not_billed(env)
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
