"""The segmentation page (tables, server-side SVG charts, CSV export) and the customer import
page (upload, preview with row-by-row errors and duplicate warnings, confirm)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from flask import Response, flash, g, redirect, render_template, request
from markupsafe import Markup

from core.errors import KangyiError, ValidationError
from core.i18n import _

from .customer_import import TEMPLATE_COLUMNS, import_customers
from .segmentation import DIMENSIONS, bar_chart_svg, segment, to_csv, totals

_MAX_UPLOAD = 5 * 1024 * 1024


def _date(name: str) -> dt.date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(_("%(value)s is not a date (YYYY-MM-DD).", value=text)) from exc


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
                           dimension=dimension, dimensions=DIMENSIONS, charts=charts,
                           date_from=date_from, date_to=date_to, user_id=user_id,
                           salespeople=salespeople, title=_("Segmentation"))


def _uploaded() -> tuple[str, bytes]:
    """The file sent with the form: a fresh upload, or the one carried over from the preview."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read(_MAX_UPLOAD + 1)
        name = upload.filename
    else:
        name = request.form.get("filename", "")
        try:
            data = base64.b64decode(request.form.get("content", ""), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(_("Choose a file to import.")) from exc
    if not data:
        raise ValidationError(_("Choose a file to import."))
    if len(data) > _MAX_UPLOAD:
        raise ValidationError(_("The file is larger than 5 MB."))
    return name, data


def import_view() -> Any:
    env = g.env
    context: dict[str, Any] = {"title": _("Import customers"), "columns": TEMPLATE_COLUMNS,
                               "result": None}
    if request.method == "POST":
        try:
            name, data = _uploaded()
            confirm = request.form.get("action") == "import"
            result = import_customers(env, name, data, dry_run=not confirm)
        except KangyiError as exc:
            flash(exc.message, "error")
            return render_template("crm/import.html", **context), 422
        if confirm and result.ok:
            flash(_("%(count)s customers imported.", count=len(result.created)), "success")
            return redirect(request.path)
        context.update(result=result, filename=name,
                       content=base64.b64encode(data).decode("ascii"),
                       errors_by_line=dict(_group(result.errors)),
                       warnings_by_line=dict(_group(result.warnings)))
        status = 200 if result.ok else 422
        return render_template("crm/import.html", **context), status
    return render_template("crm/import.html", **context)


def _group(messages: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    grouped: dict[int, list[str]] = {}
    for line, message in messages:
        grouped.setdefault(line, []).append(message)
    return sorted(grouped.items())
