"""Month-end close (月末结账): other addons' month-end entries (the ``account_period_closing``
hook: cost of sales from stock_account), then the transfer of profit and loss to 4103 本年利润,
then the lock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core import UserError
from core.i18n import _

from .chart import PL_TYPES, money


def _pl_balances(env: Any, period: Any) -> list[tuple[int, Decimal]]:
    """``(account id, balance)`` of the profit-and-loss accounts over the period (SQL SUM)."""
    line = env.registry["account.move.line"]
    account = env.registry["account.account"]
    rows = env.session.execute(
        select(line.account_id, func.sum(line.balance))
        .join(account, account.id == line.account_id)
        .where(account.account_type.in_(PL_TYPES), line.parent_state == "posted",
               line.date >= period.date_from, line.date <= period.date_to)
        .group_by(line.account_id).order_by(line.account_id))
    return [(account_id, money(total)) for account_id, total in rows if money(total)]


def close_period(period: Any) -> None:
    env = period.env
    move_cls = env.registry["account.move"]
    drafts = env.session.scalar(select(func.count()).select_from(move_cls).where(
        move_cls.state == "draft", move_cls.date >= period.date_from,
        move_cls.date <= period.date_to))
    if drafts:
        raise UserError(_("%(count)s draft entries are dated in %(period)s; post or cancel them "
                          "before closing.", count=drafts, period=period.name))
    env.registry.pm.hook.account_period_closing(env=env, period=period)
    balances = _pl_balances(env, period)
    if balances:
        profit_account = env.ref_id("accounting.account_4103")
        lines = []
        for account_id, balance in balances:
            lines.append((0, 0, {"account_id": account_id, "name": _("Month-end close"),
                                 "debit": -balance if balance < 0 else 0,
                                 "credit": balance if balance > 0 else 0}))
        net = sum((b for _a, b in balances), Decimal(0))
        if net:
            lines.append((0, 0, {"account_id": profit_account, "name": _("Month-end close"),
                                 "debit": net if net > 0 else 0,
                                 "credit": -net if net < 0 else 0}))
        moves = env.sudo()["account.move"]
        move_id = moves.create({
            "journal_id": env.ref_id("accounting.journal_general"), "date": period.date_to,
            "ref": _("Profit and loss transfer %(period)s", period=period.name),
            "line_ids": lines})
        move = moves.browse_unchecked([move_id])[0]
        move.is_closing = True
        moves.call("action_post", [move_id])
    period.state = "closed"
    env.session.flush()
