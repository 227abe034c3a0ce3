"""The web UI: log in and out, the home page; the generic views live in the sibling modules."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ..i18n import _, _l
from ..users import check_credentials

blueprint = Blueprint("web", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/web/static")


class LoginForm(FlaskForm):
    login = StringField(_l("Login"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class _Throttle:
    """Failed logins per (login, address) in a sliding window; kept per process."""

    def __init__(self) -> None:
        self.failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)

    def blocked(self, key: tuple[str, str], limit: int, window: float) -> bool:
        now = time.monotonic()
        attempts = self.failures[key]
        while attempts and now - attempts[0] > window:
            attempts.popleft()
        return len(attempts) >= limit

    def fail(self, key: tuple[str, str]) -> None:
        self.failures[key].append(time.monotonic())

    def clear(self, key: tuple[str, str]) -> None:
        self.failures.pop(key, None)


def _throttle() -> _Throttle:
    return current_app.extensions.setdefault("kangyi_login_throttle", _Throttle())


@blueprint.route("/web/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        key = (form.login.data or "", request.remote_addr or "")
        throttle = _throttle()
        if throttle.blocked(key, current_app.config["LOGIN_ATTEMPTS"],
                            current_app.config["LOGIN_WINDOW_SECONDS"]):
            flash(_("Too many failed attempts; wait a few minutes and try again."), "error")
            return render_template("web/login.html", form=form), 429
        uid = check_credentials(g.env, form.login.data or "", form.password.data or "")
        if uid is None:
            throttle.fail(key)
            flash(_("Wrong login or password."), "error")
            return render_template("web/login.html", form=form), 401
        throttle.clear(key)
        from ..app import _load_user

        user = _load_user(str(uid))
        login_user(user)
        next_url = request.args.get("next", "")
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = url_for("web.home")
        return redirect(next_url)
    return render_template("web/login.html", form=form)


@blueprint.route("/web/logout", methods=["POST"])
def logout() -> Any:
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
