"""``/report/pdf/<report_name>/<ids>``: a PDF for the logged-in user or an API key's user, with
that user's rights (no read access to a record, no PDF); and the forms' print buttons."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, g, request
from flask_login import current_user

from ..api.errors import AccessDenied
from ..attachments import content_disposition
from ..env import Environment
from ..i18n import _
from .declare import reports_for_model, reports_of
from .render import render_pdf

blueprint = Blueprint("reports", __name__, template_folder="templates")


def _user_env() -> Environment:
    """The session's user, else the user of the API key in ``Authorization: Bearer``."""
    if current_user.is_authenticated:
        return g.env
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    key = token.strip() if scheme.lower() == "bearer" else request.headers.get("X-API-Key", "")
    if key:
        from ..api.apikeys import key_owner

        uid = key_owner(g.env, key.strip())
        if uid is not None:
            user = g.env.session.get(g.env.registry["res.users"], uid)
            return Environment(g.env.registry, g.env.session, uid=uid,
                               context={"lang": getattr(user, "lang", None) or "en"}, su=False)
    raise AccessDenied(_("Log in, or send an API key ('Authorization: Bearer <key>'), to "
                         "print documents."))


@blueprint.route("/report/pdf/<report_name>/<ids>")
def pdf(report_name: str, ids: str) -> Any:
    env = _user_env()
    try:
        record_ids = [int(part) for part in ids.split(",") if part.strip()]
    except ValueError:
        abort(400, _("Give the records to print as ids separated by commas."))
    if not record_ids or len(record_ids) > 200:
        abort(400, _("Print between 1 and 200 records at a time."))
    report = reports_of(env.registry).get(report_name)
    if report is None:
        abort(404, _("There is no print format %(name)s.", name=report_name))
    data = render_pdf(env, report_name, record_ids)
    names = env[report.model].display_names(record_ids)
    filename = f"{report.name}-{names.get(record_ids[0], record_ids[0])}.pdf"
    inline = request.args.get("download") != "1"
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": content_disposition(filename, inline=inline)})


def print_formats(model: str) -> list[Any]:
    """The formats of ``model`` the current user may print (a template global)."""
    env = g.env
    if model not in env.registry or not env.access.allowed(model, "read"):
        return []
    return [r for r in reports_for_model(env.registry, model)
            if not r.groups or any(env.access.has_group(x) for x in r.groups)]


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.jinja_env.globals["print_formats"] = print_formats
