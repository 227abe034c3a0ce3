"""Web routes of the record panel: messages and notes, attachments, activities.

All of them go through :mod:`core.audit`, :mod:`core.attachments` and :mod:`core.activity`, which
check the user's access to the record itself; an attachment id or a record id alone opens nothing.
The panel checks read access once (:func:`check_readable`) for its timeline, files and activities.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, send_file
from flask_login import login_required

from .. import activity, attachments, audit
from ..activity import activities_of
from ..i18n import _
from .common import can
from .workflow import blueprint, check_readable, record_url, run_action, safe_next

PAGE_SIZE = 40


def _back(model: str, record_id: int) -> Any:
    return redirect(safe_next(record_url(model, record_id)))


@blueprint.app_template_global()
def workflow_panel(model: str, record_id: int) -> dict[str, Any]:
    """What ``workflow/panel.html`` shows for a record the current user may read."""
    from .workflow import workflow_buttons_of

    env = g.env
    check_readable(model, record_id)
    return {
        "buttons": workflow_buttons_of(model, record_id),
        "timeline": audit.timeline(env, model, record_id, checked=True),
        "attachments": attachments.attachments_of(env, model, record_id, checked=True),
        "activities": activities_of(env, model, record_id, checked=True),
        "can_write": can(env[model], "write", record_id),
        "activity_types": env.registry["mail.activity"].__fields__["activity_type"].selection,
        "max_mb": round(int(current_app.config["ATTACHMENT_MAX_BYTES"]) / 1048576, 1),
    }


# -- messages ------------------------------------------------------------------------------------


@blueprint.route("/web/chatter/<model>/<int:record_id>/post", methods=["POST"])
@login_required
def post_message(model: str, record_id: int) -> Any:
    internal = request.form.get("internal") == "1"
    run_action(lambda: audit.post_message(g.env, model, record_id,
                                          request.form.get("body", ""), internal=internal),
               _("Note added.") if internal else _("Message posted."))
    return _back(model, record_id)


# -- attachments ---------------------------------------------------------------------------------


@blueprint.route("/web/attachments/<model>/<int:record_id>/upload", methods=["POST"])
@login_required
def upload(model: str, record_id: int) -> Any:
    upload_file = request.files.get("file")
    if upload_file is None or not upload_file.filename:
        flash(_("Choose a file to upload."), "error")
        return _back(model, record_id)
    limit = int(current_app.config["ATTACHMENT_MAX_BYTES"])
    data = upload_file.stream.read(limit + 1)  # never more than the limit in memory
    run_action(lambda: attachments.store(g.env, model, record_id, upload_file.filename or "",
                                         data, upload_file.mimetype),
               _("File attached."))
    return _back(model, record_id)


@blueprint.route("/web/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int) -> Any:
    row, path = attachments.open_attachment(g.env, attachment_id)
    response = send_file(path, mimetype=row.mimetype or "application/octet-stream",
                         conditional=True, etag=row.checksum, max_age=0)
    response.headers["Content-Disposition"] = attachments.content_disposition(row.name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.route("/web/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(attachment_id: int) -> Any:
    row = g.env.session.get(g.env.registry["ir.attachment"], attachment_id)
    if row is None:
        abort(404)
    model, record_id = row.res_model, row.res_id
    run_action(lambda: attachments.remove(g.env, attachment_id), _("Attachment deleted."))
    return _back(model, record_id)


# -- activities ----------------------------------------------------------------------------------


@blueprint.route("/web/activities")
@login_required
def my_activities() -> Any:
    overdue = request.args.get("filter") == "overdue"
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, total = activity.my_activities(g.env, overdue=overdue, offset=(page - 1) * PAGE_SIZE,
                                         limit=PAGE_SIZE)
    for row in rows:
        row["url"] = record_url(row["res_model"], row["res_id"])
    return render_template("workflow/activities.html", rows=rows, total=total, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), overdue=overdue)


@blueprint.route("/web/activities/<model>/<int:record_id>/schedule", methods=["POST"])
@login_required
def schedule_activity(model: str, record_id: int) -> Any:
    form = request.form
    user_id = form.get("user_id", type=int)

    def plan() -> None:
        deadline = form.get("date_deadline") or dt.date.today().isoformat()
        activity.schedule(g.env, model, record_id, form.get("summary", ""), deadline,
                          user_id=user_id, activity_type=form.get("activity_type") or "todo",
                          note=form.get("note"))

    run_action(plan, _("Activity planned."))
    return _back(model, record_id)


@blueprint.route("/web/activities/<int:activity_id>/done", methods=["POST"])
@login_required
def activity_done(activity_id: int) -> Any:
    run_action(lambda: activity.mark_done(g.env, activity_id, request.form.get("feedback")),
               _("Activity done."))
    return redirect(safe_next("/web/activities"))
