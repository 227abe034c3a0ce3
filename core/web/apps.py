"""The Apps page: every available addon with its state; admins install, upgrade and uninstall.

An operation is first run as a dry run and its plan shown for confirmation; the confirmed
operation runs through :class:`core.lifecycle.AddonManager` in its own transaction. The request's
registry is stale afterwards, so the page redirects (the next request builds the new registry).
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import login_required

from ..errors import AddonError
from ..i18n import _
from ..lifecycle import Plan
from . import blueprint

OPERATIONS = ("install", "upgrade", "uninstall")


def _manager() -> Any:
    return current_app.extensions["kangyi"].manager


def _rediscover() -> None:
    """Look for addons pip-installed (or copied into an addons folder) since the server started."""
    try:
        current_app.extensions["kangyi"].rediscover()
    except AddonError as exc:  # a broken package: say so, keep listing what was found before
        flash(exc.message, "error")


def _require_admin() -> None:
    if not g.env.access.is_admin:
        abort(403, _("Only administrators may install, upgrade or uninstall applications."))


@blueprint.route("/web/apps")
@login_required
def apps() -> Any:
    _rediscover()
    manager = _manager()
    states = manager.states()
    rows = []
    for name, info in sorted(manager.available.items(),
                             key=lambda item: (item[1].manifest.sequence, item[0])):
        state = states.get(name, {}).get("state", "uninstalled")
        rows.append({"name": name, "info": info, "state": state,
                     "installed_version": states.get(name, {}).get("latest_version")})
    return render_template("web/apps.html", rows=rows, is_admin=g.env.access.is_admin)


def _run(name: str, operation: str, dry_run: bool, cascade: bool) -> Plan:
    manager = _manager()
    if operation == "install":
        return manager.install([name], dry_run=dry_run)
    if operation == "upgrade":
        return manager.upgrade([name], dry_run=dry_run)
    return manager.uninstall([name], cascade=cascade, dry_run=dry_run)


@blueprint.route("/web/apps/<name>/<operation>", methods=["GET", "POST"])
@login_required
def app_operation(name: str, operation: str) -> Any:
    """GET shows the dry-run plan; POST (confirmed) runs the operation."""
    _require_admin()
    if name not in _manager().available:
        _rediscover()
    if operation not in OPERATIONS or name not in _manager().available:
        abort(404)
    cascade = request.values.get("cascade") == "1"
    # the operation uses its own connection: end this request's transaction first (SQLite locks)
    g.db.commit()
    try:
        plan = _run(name, operation, dry_run=request.method == "GET", cascade=cascade)
    except AddonError as exc:
        try:  # addons depending on it: the page offers to uninstall them too (no CLI flag)
            if operation != "uninstall" or cascade or request.method != "GET":
                raise
            plan = _run(name, operation, dry_run=True, cascade=True)
            cascade = True
            flash(_("Other addons depend on this one: confirming uninstalls them too."),
                  "warning")
        except AddonError:
            flash(exc.message, "error")
            return redirect(url_for("web.apps"))
    if request.method == "GET":
        return render_template("web/app_plan.html", name=name, operation=operation, plan=plan,
                               cascade=cascade, info=_manager().available[name])
    flash(_("Done: %(summary)s", summary=plan.lines()[0]), "success")
    return redirect(url_for("web.apps"))
