"""The segmentation page: tables, server-side SVG charts, CSV export. (Customers are imported
through the core's generic import page, ``/web/res.partner/import``.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, g, render_template, request
from markupsafe import Markup

from core.errors import ValidationError
from core.i18n import _

from .segmentation import DIMENSIONS, bar_chart_svg, segment, to_csv, totals


def _date(name: str) -> dt.date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(_("%(value)s is not a date (YYYY-MM-DD).", value=text)) from exc


#: the customer field each segmentation groups by in the generic pivot (age bands: birth years)
PIVOT_ROWS = {"industry": "industry_id", "region": "region", "profession": "profession",
              "age_band": "birth_date:year"}


def _pivot_url(dimension: str) -> str | None:
    """The same segmentation of customers as a pivot (regroup, chart, save, export) when an
    addon serves pivots (data analysis), else None."""
    from flask import url_for

    from core.pages import pages_of

    if "pivot" not in pages_of(g.env.registry).kinds:
        return None
    return url_for("pages.serve_kind", model="res.partner", kind="pivot",
                   row=PIVOT_ROWS[dimension], col="level_id",
                   domain='[["parent_id", "=", false]]')


def segmentation_view() -> Any:
    env = g.env
    dimension = request.args.get("by", "industry")
    if dimension not in DIMENSIONS:
        dimension = "industry"
    date_from, date_to = _date("from"), _date("to")
    user_text = request.args.get("user", "")
    user_id = int(user_text) if user_text.isdigit() else None
    rows = segment(env, dimension, date_from, date_to, user_id)
    if request.args.get("export") == "csv":
        return Response(to_csv(rows, dimension), mimetype="text/csv", headers={
            "Content-Disposition": f"attachment; filename=crm-{dimension}.csv"})
    salespeople = env["res.users"].sudo().search_read(
        [("groups_id", "in", [env.ref_id("crm.group_user")])], ["name"], limit=200) if (
        env.access.has_group("crm.group_manager")) else []
    label = str(DIMENSIONS[dimension])
    charts = [Markup(bar_chart_svg(rows, measure, title)) for measure, title in (
        ("customers", _("Customers by %(dimension)s", dimension=label)),
        ("contract_value", _("Contract value by %(dimension)s", dimension=label)),
        ("received", _("Received by %(dimension)s", dimension=label)))] if rows else []
    return render_template("crm/segmentation.html", rows=rows, total=totals(rows),
                           pivot_url=_pivot_url(dimension),
                           dimension=dimension, dimensions=DIMENSIONS, charts=charts,
                           date_from=date_from, date_to=date_to, user_id=user_id,
                           salespeople=salespeople, title=_("Segmentation"))
