"""Pages of the purchase/accounting glue: payables aging and supplier statements. Everything is
read through ``g.env``, so access rights and record rules apply as in every other door."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import g, render_template, request

from core.i18n import _
from core.pages import Page

from .reports import payables_aging, supplier_statement

POSTS = ("purchase_account.group_payable", "accounting.group_chief")


def _date(name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return default


def aging_view() -> Any:
    day = _date("date", dt.date.today())
    report = payables_aging(g.env, day)
    labels = {"not_due": _("Not due"), "1_30": _("1-30 days"), "31_60": _("31-60 days"),
              "61_90": _("61-90 days"), "over_90": _("Over 90 days")}
    money = g.env["account.move.line"].fields["debit"]
    return render_template("purchase_account/aging.html", title=_("Payables aging"),
                           report=report, labels=labels, day=day, money=money)


def statement_view() -> Any:
    today = dt.date.today()
    date_from = _date("date_from", today.replace(day=1))
    date_to = _date("date_to", today)
    try:
        partner_id = int(request.args.get("partner") or 0)
    except ValueError:
        partner_id = 0
    suppliers = g.env["res.partner"].search_read([("supplier_rank", ">", 0)], ["name"],
                                                 order="name", limit=500)
    statement = supplier_statement(g.env, partner_id, date_from, date_to) if partner_id \
        else None
    money = g.env["account.move.line"].fields["debit"]
    return render_template("purchase_account/statement.html", title=_("Supplier statement"),
                           suppliers=suppliers, partner_id=partner_id, statement=statement,
                           date_from=date_from, date_to=date_to, money=money)


PAGES = [Page("purchase_account.aging", "payables-aging", aging_view, groups=POSTS),
         Page("purchase_account.statement", "statement", statement_view, groups=POSTS)]
