"""The generic import page ``/web/<model>/import``: upload, preview with a row-by-row report,
then import all or nothing (see :mod:`core.importing`). Offered on every list whose model the
user may create records of. A file above ``IMPORT_JOB_ROWS`` rows is checked for its columns
only, then imported by a background job (``core.web.background``)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..errors import KangyiError, ValidationError
from ..i18n import _
from ..importing import MAX_ROWS, Issue, import_records, importable_fields, read_table
from ..jobs import enqueue
from . import blueprint
from .common import can, model_label, service

#: largest file accepted (bytes)
MAX_UPLOAD = 5 * 1024 * 1024


def _uploaded() -> tuple[str, bytes]:
    """The file sent with the form: a fresh upload, or the one carried over from the preview."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read(MAX_UPLOAD + 1)
        name = upload.filename
    else:
        name = request.form.get("filename", "")
        try:
            data = base64.b64decode(request.form.get("content", ""), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(_("Choose a file to import.")) from exc
    if not data:
        raise ValidationError(_("Choose a file to import."))
    if len(data) > MAX_UPLOAD:
        raise ValidationError(_("The file is larger than 5 MB."))
    return name, data


def _by_line(issues: list[Issue]) -> dict[int, list[Issue]]:
    grouped: dict[int, list[Issue]] = {}
    for issue in issues:
        grouped.setdefault(issue.line, []).append(issue)
    return grouped


@blueprint.route("/web/<model>/import", methods=["GET", "POST"])
@login_required
def import_view(model: str) -> Any:
    svc = service(model)
    if not can(svc, "create"):
        abort(403, _("You may not create %(model)s records.", model=model_label(svc)))
    fields = importable_fields(svc)
    suggested = [n for n in getattr(svc.cls, "_import_columns", ()) if n in fields]
    context: dict[str, Any] = {
        "model": model, "title": _("Import %(model)s", model=model_label(svc)),
        "columns": [(n, fields[n]) for n in (suggested or fields)], "max_rows": MAX_ROWS,
        "match": fields.get(getattr(svc.cls, "_import_match", None) or ""), "result": None}
    if request.method == "GET":
        return render_template("web/import.html", **context)
    try:
        name, data = _uploaded()
        confirm = request.form.get("action") == "import"
        large = len(read_table(name, data)[1]) > int(current_app.config["IMPORT_JOB_ROWS"])
        if confirm and large:  # imported by a background job, followed on its page
            job_id = enqueue(svc.env, "core.web.background:import_file", model, name,
                             base64.b64encode(data).decode("ascii"),
                             name=_("Import %(file)s", file=name))
            return redirect(url_for("jobs.job_status", job_id=job_id))
        result = import_records(svc.env, model, name, data, dry_run=not confirm,
                                header_only=large)
    except KangyiError as exc:
        flash(exc.message, "error")
        return render_template("web/import.html", **context), 422
    if confirm and result.ok:
        flash(_("%(created)s records created, %(updated)s updated.",
                created=len(result.created), updated=len(result.updated)), "success")
        return redirect(url_for("web.list_view", model=model))
    context.update(result=result, filename=name, large=large,
                   content=base64.b64encode(data).decode("ascii"),
                   errors_by_line=_by_line(result.errors),
                   warnings_by_line=_by_line(result.warnings))
    return render_template("web/import.html", **context), 200 if result.ok else 422
