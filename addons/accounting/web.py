"""Report pages (``/web/page/accounting/…``): each report as a table whose figures link to the
journal items behind them (the generic list, which exports them too) and a CSV export of the
report itself (made by a background job for the trial balance and the general ledger).
Figures come from :mod:`.reports`, through the logged-in user's model service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flask import Response, g, render_template, request

from core.errors import ValidationError
from core.export import to_csv
from core.i18n import _, _l
from core.pages import Page

from . import reports
from .security import POSTS

#: a table cell: plain text, or an amount with the address of the items behind it
Cell = Any


def _date(name: str, default: dt.date) -> dt.date:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(_("%(value)s is not a date (YYYY-MM-DD).", value=text)) from exc


def _range() -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    return _date("date_from", today.replace(day=1)), _date("date_to", today)


def _amount(value: Any, url: str | None = None) -> dict[str, Any]:
    return {"amount": value if value is not None else Decimal(0), "url": url}


def _render(slug: str, title: str, columns: list[str], rows: list[dict[str, Any]],
            filters: dict[str, Any], totals: list[Cell] | None = None, note: str = "") -> Any:
    """The report page, or its CSV when ``?export=csv``."""
    if request.args.get("export") == "csv":
        body = [[c["amount"] if isinstance(c, dict) else c for c in row["cells"]]
                for row in rows]
        if totals:
            body.append([c["amount"] if isinstance(c, dict) else c for c in totals])
        return Response(to_csv(columns, body), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={slug}.csv"})
    money = g.env["account.move.line"].fields["debit"]  # formats amounts with 2 decimals
    return render_template("accounting/report.html", title=title, columns=columns, rows=rows,
                           totals=totals, filters=filters, note=note, money=money)


def _account_label(row: dict[str, Any]) -> str:
    name = row.get("name_en") if g.env.lang == "en" and row.get("name_en") else row["name"]
    return f"{row['code']} {name}"


def trial_balance_view() -> Any:
    date_from, date_to = _range()
    report = reports.trial_balance(g.env, date_from, date_to)
    keys = ("opening_debit", "opening_credit", "debit", "credit", "closing_debit",
            "closing_credit")
    rows = [{"cells": [_account_label(r), *(_amount(r[k], r["url"] if k in ("debit", "credit")
                                                     else None) for k in keys)],
             "ledger": r["account_id"]} for r in report["rows"]]
    totals = [_("Total"), *(_amount(report["totals"][k]) for k in keys)]
    columns = [_("Ledger account"), _("Opening debit"), _("Opening credit"), _("Debit"),
               _("Credit"), _("Closing debit"), _("Closing credit")]
    note = _("Difference between debits and credits: %(diff)s", diff=report["difference"])
    return _render("trial-balance", _("Trial balance"), columns, rows,
                   {"date_from": date_from, "date_to": date_to}, totals, note)


def ledger_view() -> Any:
    date_from, date_to = _range()
    accounts = g.env["account.account"].search_read([], ["code", "name", "name_en"])
    text = request.args.get("account", "")
    account_id = int(text) if text.isdigit() else (accounts[0]["id"] if accounts else None)
    rows: list[dict[str, Any]] = []
    note = ""
    if account_id is not None:
        try:
            page = max(int(request.args.get("page", 1)), 1)
        except ValueError:
            page = 1
        size = 200
        ledger = reports.general_ledger(g.env, account_id, date_from, date_to,
                                        offset=(page - 1) * size, limit=size)
        rows.append({"cells": ["", "", _("Opening balance"), "", "", _amount(ledger["opening"])]})
        for line in ledger["lines"]:
            rows.append({"cells": [line["date"].isoformat(),
                                   line["move_id"][1] if line["move_id"] else "",
                                   line["name"] or "",
                                   _amount(line["debit"]), _amount(line["credit"]),
                                   _amount(line["running_balance"])],
                         "url": f"/web/account.move/{line['move_id'][0]}"})
        note = _("%(count)s items; page %(page)s.", count=ledger["total"], page=page)
    columns = [_("Date"), _("Entry"), _("Entry description"), _("Debit"), _("Credit"),
               _("Account balance")]
    return _render("general-ledger", _("General ledger"), columns, rows,
                   {"date_from": date_from, "date_to": date_to, "account": account_id,
                    "accounts": [(a["id"], _account_label(a)) for a in accounts]}, None, note)


def balances_view() -> Any:
    day = _date("date", dt.date.today())
    rows = [{"cells": [f"{r['code']} {r['name']}", r["partner"],
                       _amount(r["balance"], r["url"])]}
            for r in reports.account_balances(g.env, day)]
    return _render("account-balances", _("Account balances"),
                   [_("Ledger account"), _("Partner"), _("Account balance")], rows, {"date": day})


def aging_view() -> Any:
    day = _date("date", dt.date.today())
    report = reports.receivables_aging(g.env, day)
    labels = {"not_due": _("Not due"), "1_30": _("1-30 days"), "31_60": _("31-60 days"),
              "61_90": _("61-90 days"), "over_90": _("Over 90 days")}
    rows = []
    for row in report["rows"]:
        cells = [row["partner"]]
        for key in report["buckets"]:
            bucket = row["buckets"].get(key)
            cells.append(_amount(bucket["amount"], bucket["url"]) if bucket else _amount(None))
        cells.append(_amount(row["total"]))
        rows.append({"cells": cells})
    totals = [_("Total"), *(_amount(report["totals"][k]) for k in report["buckets"]),
              _amount(report["total"])]
    columns = [_("Customer"), *(labels[k] for k in report["buckets"]), _("Total")]
    return _render("receivables-aging", _("Receivables aging"), columns, rows, {"date": day},
                   totals)


def _section_rows(section: dict[str, Any], label: str) -> list[dict[str, Any]]:
    rows = [{"cells": [label, _amount(section["total"])], "heading": True}]
    rows += [{"cells": [f"{r['code']} {r['name']}", _amount(r["amount"], r["url"])]}
             for r in section["rows"]]
    return rows


def profit_loss_view() -> Any:
    date_from, date_to = _range()
    report = reports.profit_and_loss(g.env, date_from, date_to)
    labels = {"revenue": _("Operating revenue"), "cost_of_revenue": _("Cost of revenue"),
              "expenses": _("Expenses"), "other_income": _("Other income"),
              "other_expenses": _("Other expenses")}
    rows = []
    for key, label in labels.items():
        rows += _section_rows(report["sections"][key], label)
        if key == "cost_of_revenue":
            rows.append({"cells": [_("Gross profit"), _amount(report["gross_profit"])],
                         "heading": True})
    totals = [_("Net profit"), _amount(report["net_profit"])]
    return _render("profit-and-loss", _("Profit and loss"), [_("Item"), _("Amount")], rows,
                   {"date_from": date_from, "date_to": date_to}, totals)


def balance_sheet_view() -> Any:
    day = _date("date", dt.date.today())
    report = reports.balance_sheet(g.env, day)
    rows = _section_rows(report["sections"]["assets"], _("Assets"))
    rows += _section_rows(report["sections"]["liabilities"], _("Liabilities"))
    rows += _section_rows(report["sections"]["equity"], _("Equity"))
    rows.append({"cells": [_("of which profit not yet transferred"),
                           _amount(report["unallocated_earnings"])]})
    note = _("Assets − liabilities − equity: %(diff)s", diff=report["difference"])
    return _render("balance-sheet", _("Balance sheet"), [_("Item"), _("Amount")], rows,
                   {"date": day}, None, note)


def pages() -> list[Page]:
    return [
        # over a year of entries these take seconds: their CSV is made by a background job
        Page("accounting.trial_balance", "trial-balance", trial_balance_view, groups=POSTS,
             slow=True, title=_l("Trial balance")),
        Page("accounting.ledger", "ledger", ledger_view, groups=POSTS, slow=True,
             title=_l("General ledger")),
        Page("accounting.balances", "balances", balances_view, groups=POSTS),
        Page("accounting.aging", "aging", aging_view, groups=POSTS),
        Page("accounting.profit_loss", "profit-loss", profit_loss_view, groups=POSTS),
        Page("accounting.balance_sheet", "balance-sheet", balance_sheet_view, groups=POSTS),
    ]
