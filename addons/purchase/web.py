"""The purchase addon's own pages: the supplier comparison matrix (比价表) where the buyer picks
the winner, and the purchase analysis with price trends.

Everything is read through ``g.env`` (the logged-in user's model service), so record rules decide
what each user sees, exactly as in the generic views and the APIs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, g, redirect, render_template, request

from core.errors import AccessError, UserError, ValidationError
from core.i18n import _
from core.pages import Page

from .analysis import DIMENSIONS, price_trends, purchases_by
from .comparison import COMPARISON_STATES
from .request import BUYER, MANAGER


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


def comparison_view(sheet_id: int) -> Any:
    """The comparison sheet as a matrix (suppliers as columns, products as rows); a POST
    chooses the quotation ``order_id`` with its ``reason`` (the sheet's *Confirm the choice*)."""
    sheets = g.env["purchase.comparison"]
    sheet = sheets.browse(sheet_id)[0]  # read access and record rules: 403 / 404 otherwise
    if request.method == "POST":
        try:
            sheets.call("action_choose", [sheet_id], int(request.form.get("order_id") or 0),
                        request.form.get("reason") or "")
        except (UserError, ValidationError, AccessError) as exc:
            flash(exc.message, "error")
        else:
            flash(_("Supplier chosen: %(partner)s.", partner=sheet.winner_partner.name),
                  "success")
        return redirect(request.path)
    lines = g.env["purchase.order.line"].fields
    return render_template("purchase/comparison.html", title=sheet.display_name, sheet=sheet,
                           matrix=sheet.matrix(), price=lines["price_unit"],
                           money=lines["price_subtotal"],
                           state_label=dict(COMPARISON_STATES)[sheet.state],
                           choosing=sheet.state == "quoting" and g.env.access.has_group(BUYER))


PAGES = [Page("purchase.analysis", "analysis", analysis_view, groups=(MANAGER,)),
         Page("purchase.comparison", "comparison/<int:sheet_id>", comparison_view,
              methods=("GET", "POST"), groups=(BUYER,))]
