"""The bell of the top bar, the notifications page (with the user's choice of in-app only or
e-mail too) and "Send by e-mail" of a printable document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..attachments import files_of
from ..audit import post_message
from ..i18n import _
from ..reports.declare import reports_of
from ..reports.render import company_values, render_pdf
from ..web import badges
from .notify import render
from .send import queue_mail

blueprint = Blueprint("mail", __name__, template_folder="templates")
PAGE = 50


def _own(env: Any) -> Any:
    return env["mail.notification"]


@blueprint.route("/web/notifications", methods=["GET", "POST"])
@login_required
def notifications() -> Any:
    env = g.env
    me = env.sudo()["res.users"]
    if request.method == "POST":
        if request.form.get("notification_type") in ("email", "inbox"):
            me.write([env.uid], {"notification_type": request.form["notification_type"]})
            flash(_("Your notification preference is saved."), "success")
        if request.form.get("mark_read"):
            unread = _own(env).search([("user_id", "=", env.uid), ("is_read", "=", False)])
            if unread:
                _own(env).write(unread, {"is_read": True})
        return redirect(url_for("mail.notifications"))
    page = max(int(request.args.get("page", "1") or 1), 1) if request.args.get(
        "page", "1").isdigit() else 1
    domain = [("user_id", "=", env.uid)]
    rows = _own(env).search_read(domain, ["title", "body", "url", "is_read", "create_date"],
                                 offset=(page - 1) * PAGE, limit=PAGE)
    total = _own(env).search_count(domain)
    files = files_of(env, "mail.notification", [row["id"] for row in rows])
    for row in rows:
        row["files"] = files.get(row["id"], [])
    choice = me.read([env.uid], ["notification_type"])[0]["notification_type"] or "email"
    return render_template("mail/notifications.html", rows=rows, total=total, page=page,
                           pages=max((total + PAGE - 1) // PAGE, 1), choice=choice)


def unread_notifications() -> int:
    """The bell's count (a template global), read with the other counters of the top bar."""
    return badges.count("notifications")


def _unread_query(env: Any) -> Any | None:
    """The bell's count as a scalar SQL expression (None: the user may not read any)."""
    if not env.access.allowed("mail.notification", "read"):
        return None  # a user left without groups (e.g. after an uninstall) still gets pages
    own = _own(env)
    unread = select(own.cls.id).where(own.where_clause(
        [("user_id", "=", env.uid), ("is_read", "=", False)])).subquery()
    return select(func.count()).select_from(unread).scalar_subquery()


@blueprint.route("/web/mail/send/<report_name>/<int:record_id>", methods=["POST"])
@login_required
def send_document(report_name: str, record_id: int) -> Any:
    """E-mail the document printed with ``report_name`` to its partner, logged on its timeline."""
    env = g.env
    report = reports_of(env.registry).get(report_name)
    if report is None or "partner_id" not in env[report.model].cls.__fields__:
        abort(404)
    back = redirect(url_for("web.form_view", model=report.model, record_id=record_id))
    row = env[report.model].read([record_id], ["partner_id"])[0]  # read access checked
    partner = env.sudo()["res.partner"].read([row["partner_id"][0]], ["email"])[0] if row[
        "partner_id"] else None
    if not partner or not partner["email"]:
        flash(_("The partner of this document has no e-mail address."), "error")
        return back
    name = env[report.model].display_names([record_id])[record_id]
    subject, body = render("document_sent", getattr(current_user, "lang", None), {
        "document": f"{report.name} {name}", "sender": current_user.name,
        "company": company_values(env).get("name", "")})
    pdf = render_pdf(env, report_name, [record_id])
    queue_mail(env, partner["email"], subject, body,
               [(f"{report.name}-{name}.pdf", pdf, "application/pdf")], report.model, record_id)
    post_message(env, report.model, record_id,
                 _("Sent by e-mail to %(to)s: %(subject)s", to=partner["email"],
                   subject=subject), internal=True)
    flash(_("The e-mail to %(to)s is on its way.", to=partner["email"]), "success")
    return back


def sendable(model: str) -> bool:
    """Whether documents of ``model`` can be e-mailed to their partner (a template global)."""
    env = g.env
    return model in env.registry and "partner_id" in env.registry[model].__fields__


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    badges.register("notifications", _unread_query)
    app.jinja_env.globals.update(unread_notifications=unread_notifications, sendable=sendable)
