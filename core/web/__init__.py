"""The web UI: log in and out, the home page; the generic views live in the sibling modules."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ..i18n import _, _l
from ..throttle import TooManyAttempts
from ..users import check_credentials
from .common import local_url

blueprint = Blueprint("web", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/web/static")


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


@blueprint.route("/web/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        try:
            uid = check_credentials(g.env, form.login.data or "", form.password.data or "")
        except TooManyAttempts as exc:
            flash(exc.message, "error")
            return render_template("web/login.html", form=form), 429
        if uid is None:
            flash(_("Wrong login or password."), "error")
            return render_template("web/login.html", form=form), 401
        from ..app import sign_in

        sign_in(uid)
        return redirect(local_url(request.args.get("next"), url_for("web.home")))
    return render_template("web/login.html", form=form)


@blueprint.route("/web/logout", methods=["POST"])
def logout() -> Any:
    from ..app import end_sessions

    if current_user.is_authenticated:  # the cookie, copied or not, stops working everywhere
        end_sessions(g.env, current_user.id)
    logout_user()
    return redirect(url_for("web.login"))


@blueprint.route("/")
@login_required
def home() -> Any:
    """The work waiting for the user (approvals, workflow steps, the ``work_waiting`` hook's
    items), then the applications they may open, as tiles."""
    from .. import workflow_engine
    from ..work import work_waiting
    from .shell import user_menus
    from .workflow import waiting_links

    menus = user_menus()
    tiles = [(app, menus.href(app)) for app in menus.apps()]
    waiting = [(item.label, item.count, item.url) for item in work_waiting(g.env)]
    waiting += [(f"{step.label} · {step.model_label}", step.count, url)
                for step, url in waiting_links(workflow_engine.waiting_steps(g.env))]
    approvals = workflow_engine.inbox_count(g.env)
    if approvals:
        waiting.insert(0, (_("Documents to approve"), approvals, url_for("workflow.inbox")))
    return render_template("web/home.html", tiles=tiles, waiting=waiting)


# the generic views register their routes on this blueprint
from . import (  # noqa: E402,F401
    apps,
    boards,
    explain,
    imports,
    lists,
    onchange,
    prefs,
    records,
    shell,
)
