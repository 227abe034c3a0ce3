"""The monthly project cost page: any month on demand, every figure linked to its entries; 财务部
saves the month and sends it to the cost director and the general manager. Everything is read
through ``g.env``, so record rules decide what each user sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for

from core.i18n import _
from core.pages import Page

from .costs import links, may_send, monthly_costs, report_month
from .groups import MEMBER
from .profitability import READERS as PROFIT_READERS
from .profitability import ZERO


def _month() -> tuple[int, int]:
    text = request.values.get("month", "")
    try:
        year, month = (int(p) for p in text.split("-"))
        dt.date(year, month, 1)
        return year, month
    except ValueError:
        if text:
            flash(_("Choose a month as YYYY-MM."), "error")
        today = dt.date.today()
        return today.year, today.month


def costs_view() -> Any:
    year, month = _month()
    label = f"{year}-{month:02d}"
    if request.method == "POST":
        if not may_send(g.env):
            flash(_("Only the project cost accountant (项目会计) or the cost director saves and "
                    "sends the monthly project costs."), "error")
        else:
            rows = report_month(g.env, year, month)
            flash(_("The costs of %(count)s projects for %(month)s were saved and sent.",
                    count=len(rows), month=label), "success")
        return redirect(url_for("pages.serve", path="projects/costs", month=label))
    rows = monthly_costs(g.env, year, month)
    for row in rows:
        row["links"] = links(row, year, month)
    money = g.env["hr.expense"].fields["total_amount"]
    return render_template("projects/costs.html", title=_("Monthly project costs"), rows=rows,
                           month=label, money=money,
                           may_send=may_send(g.env),
                           purchases="purchase.order" in g.env.registry)


def profitability_view() -> Any:
    """Every project the user may read: revenue, each kind of cost, margin; in progress only
    unless ``?all=1``."""
    from .profitability import cost_keys, profitability

    everything = request.args.get("all") == "1"
    domain = [] if everything else [("state", "in", ("presales", "in_progress"))]
    rows = profitability(g.env, domain)
    keys = cost_keys(rows)
    for row in rows:
        by_key: dict[str, Any] = {}
        for item in row["costs"]:
            if not item["expected"]:
                by_key[item["key"]] = by_key.get(item["key"], 0) + item["amount"]
        row["by_key"] = by_key
    totals = {name: sum((r[name] for r in rows), start=ZERO)
              for name in ("revenue", "expected", "cost", "margin")}
    totals["by_key"] = {key: sum((r["by_key"].get(key, ZERO) for r in rows), start=ZERO)
                        for key, _label in keys}
    return render_template("projects/profitability.html", title=_("Project profitability"),
                           rows=rows, keys=keys, totals=totals, everything=everything,
                           money=g.env["project.project"].fields["budget"])


PAGES = [Page("projects.costs", "costs", costs_view, methods=("GET", "POST"), groups=(MEMBER,)),
         Page("projects.profitability", "profitability", profitability_view,
              groups=PROFIT_READERS)]
