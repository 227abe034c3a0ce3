"""The purchase addon's own pages: the purchase analysis with price trends.

Everything is read through ``g.env`` (the logged-in user's model service), so record rules decide
what each user sees, exactly as in the generic views and the APIs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import g, render_template, request

from core.i18n import _
from core.pages import Page

from .analysis import DIMENSIONS, price_trends, purchases_by
from .request import MANAGER


def _date(name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return default


def analysis_view() -> Any:
    """Approved purchases grouped by supplier, product or month, and the price trends."""
    today = dt.date.today()
    date_from = _date("date_from", today.replace(month=1, day=1))
    date_to = _date("date_to", today)
    dimension = request.args.get("by") or "partner_id"
    if dimension not in DIMENSIONS:
        dimension = "partner_id"
    labels = {"partner_id": _("Supplier"), "product_id": _("Product"),
              "date_order:month": _("Month")}
    rows = purchases_by(g.env, dimension, date_from, date_to)
    trends = price_trends(g.env, date_from, date_to)
    money = g.env["purchase.order.line"].fields["price_subtotal"]
    return render_template("purchase/analysis.html", title=_("Purchase analysis"), rows=rows,
                           trends=trends, dimension=dimension, labels=labels,
                           date_from=date_from, date_to=date_to, money=money)


PAGES = [Page("purchase.analysis", "analysis", analysis_view, groups=(MANAGER,))]
