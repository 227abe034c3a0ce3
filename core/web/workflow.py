"""Web routes of the workflow engine: the approvals inbox, transition buttons, bulk transitions.

Hook points for the generic views (documented in ``docs/workflows.md``):

* ``workflow/panel.html`` — included in forms through ``RECORD_PANEL_TEMPLATES`` (registered by
  :func:`init_app`): the workflow buttons the user may take, then the timeline (messages, notes,
  tracked changes, workflow steps), attachments and activities of ``model`` / ``record_id``;
* ``workflow/buttons.html`` — the macro ``workflow_buttons(model, record_id)`` alone;
* ``workflow/topbar.html`` — the approvals counter for the top bar;
* the Jinja globals ``workflow_buttons_of(model, record_id)``, ``workflow_panel(model,
  record_id)``, ``workflow_bulk_actions(model)`` and ``approvals_count()``.

Every action goes through the engine (:mod:`core.workflow_engine`), which checks the user's
rights; a refusal is flashed and nothing of the action is kept (a savepoint per action).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, abort, flash, g, jsonify, redirect, render_template, request
from flask_login import login_required

from .. import workflow_engine as engine
from ..errors import KangyiError
from ..i18n import _
from ..workflow import workflow_of
from . import badges
from .common import local_url, record_check, service

blueprint = Blueprint("workflow", __name__, template_folder="templates")

PAGE_SIZE = 40
#: refusals of a bulk transition listed one by one (the rest are counted)
BULK_REFUSALS_SHOWN = 20


def init_app(app: Flask) -> None:
    """Register the routes and the record panel of the workflow engine on ``app``."""
    from . import workflow_chatter  # noqa: F401  (its routes live on this blueprint)

    app.register_blueprint(blueprint)
    badges.register("approvals", engine.inbox_total_query)
    panels = app.config.setdefault("RECORD_PANEL_TEMPLATES", [])
    if "workflow/panel.html" not in panels:
        panels.append("workflow/panel.html")


def safe_next(default: str) -> str:
    """The local URL in ``next`` (or the list view's ``back``), else ``default``: never another
    site."""
    return local_url(request.form.get("next") or request.form.get("back")
                     or request.args.get("next"), default)


def run_action(action: Callable[[], Any],
               success: str | Callable[[], str] | None = None) -> bool:
    """Run ``action`` in a savepoint; flash its error (nothing kept) or ``success`` (a callable
    is asked afterwards, to say what the action led to)."""
    try:
        with g.env.session.begin_nested():
            action()
    except KangyiError as exc:
        flash(exc.message, "error")
        return False
    if success:
        flash(success() if callable(success) else success, "success")
    return True


def record_url(model: str, record_id: int) -> str:
    """The form of a record (the generic views' route), for links and redirects."""
    return f"/web/{model}/{int(record_id)}"


def check_readable(model: str, record_id: int) -> None:
    """Raise unless the current user may read the record (404 / 403); checked once per GET
    request, shared with the form that read it (:func:`core.web.common.record_check`)."""
    error = record_check(service(model), "read", record_id)
    if error is not None:
        raise error


def _workflow_model(model: str) -> None:
    if model not in g.env.registry or workflow_of(g.env.registry[model]) is None:
        abort(404)


# -- Jinja globals -------------------------------------------------------------------------------


@blueprint.app_template_global()
def approvals_count() -> int:
    """Documents waiting for the current user's approval (0 when logged out)."""
    return badges.count("approvals")  # with the other counters of the top bar, one query


@blueprint.app_template_global()
def workflow_buttons_of(model: str, record_id: int) -> list[engine.Button]:
    """The workflow actions the current user may take on the record now."""
    if not record_id or model not in g.env.registry:
        return []
    cache = g.setdefault("kangyi_workflow_buttons", {})  # the header and the panel share it
    key = (model, int(record_id))
    if key not in cache:  # read access checked once per request, with the form's read
        check_readable(model, int(record_id))
        cache[key] = engine.buttons(g.env, model, int(record_id), checked=True)
    return cache[key]


@blueprint.app_template_global()
def workflow_bulk_actions(model: str) -> list[tuple[str, str]]:
    """``(transition, label)`` pairs a list view may offer as bulk actions to this user."""
    if model not in g.env.registry:
        return []
    return engine.bulk_transitions(g.env, model)


# -- the inbox -----------------------------------------------------------------------------------


@blueprint.route("/web/approvals")
@login_required
def inbox() -> Any:
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = engine.inbox_count(g.env)
    rows = engine.inbox(g.env, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    for row in rows:
        row["url"] = record_url(row["res_model"], row["res_id"])
    steps = engine.waiting_steps(g.env)
    badges.preset("approvals", total + sum(step.count for step in steps))  # the top bar's
    return render_template("workflow/inbox.html", rows=rows, total=total, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
                           steps=waiting_links(steps),
                           waiting=total + sum(step.count for step in steps))


def waiting_links(steps: list[engine.WaitingStep]) -> list[tuple[engine.WaitingStep, str]]:
    """Each waiting step with the list of its records."""
    return [(step, f"/web/{step.model}?" + urlencode({"domain": json.dumps(
        [list(term) for term in step.domain])})) for step in steps]


@blueprint.route("/web/approvals/count")
@login_required
def inbox_counter() -> Any:
    return jsonify(count=engine.inbox_total(g.env))


def _request_of(request_id: int) -> tuple[str, int]:
    """``(model, record id)`` of a pending request waiting for the current user."""
    row = g.env.session.get(g.env.registry["workflow.request"], request_id)
    if row is None:
        abort(404)
    return row.res_model, row.res_id


@blueprint.route("/web/approvals/<int:request_id>/approve", methods=["POST"])
@login_required
def inbox_approve(request_id: int) -> Any:
    model, res_id = _request_of(request_id)
    run_action(lambda: engine.approve(g.env, model, res_id, request.form.get("comment")),
               _("Approved."))
    return redirect(safe_next("/web/approvals"))


@blueprint.route("/web/approvals/<int:request_id>/reject", methods=["POST"])
@login_required
def inbox_reject(request_id: int) -> Any:
    model, res_id = _request_of(request_id)
    run_action(lambda: engine.reject(g.env, model, res_id, request.form.get("reason", "")),
               _("Rejected."))
    return redirect(safe_next("/web/approvals"))


# -- buttons on a record -------------------------------------------------------------------------


@blueprint.route("/web/workflow/<model>/<int:record_id>/<kind>", methods=["POST"])
@blueprint.route("/web/workflow/<model>/<int:record_id>/<kind>/<name>", methods=["POST"])
@login_required
def record_action(model: str, record_id: int, kind: str, name: str | None = None) -> Any:
    """Take a transition (``kind`` = ``transition``) or approve / reject / withdraw."""
    _workflow_model(model)
    env = g.env
    actions: dict[str, Callable[[], Any]] = {
        "approve": lambda: engine.approve(env, model, record_id, request.form.get("comment")),
        "reject": lambda: engine.reject(env, model, record_id, request.form.get("reason", "")),
        "withdraw": lambda: engine.withdraw(env, model, record_id),
    }
    if kind == "transition" and name:
        actions["transition"] = lambda: engine.take_transition(
            env, model, record_id, name, request.form.get("comment"))
    action = actions.get(kind)
    if action is None:
        abort(404)
    states: list[str] = []

    def outcome() -> str:  # a request still pending was sent on, not done
        if kind in ("transition", "approve") and engine.pending_request(env, model, record_id):
            return _("Sent for approval.") if kind == "transition" else _(
                "Approved; the request now waits for its next step.")
        return _outcome_message(model, record_id, kind, name, states[0])

    run_action(lambda: states.append(action()), outcome)
    return redirect(safe_next(record_url(model, record_id)))


def _outcome_message(model: str, record_id: int, kind: str, name: str | None,
                     state: str) -> str:
    """What a workflow action did, in words: the action and the record's state afterwards."""
    cls = g.env.registry[model]
    workflow = workflow_of(cls)
    if kind == "transition" and workflow is not None:
        transition = workflow.transition(name or "")
        action = str(transition.label or name) if transition is not None else str(name)
    else:
        action = {"approve": _("Approved"), "reject": _("Rejected"),
                  "withdraw": _("Request withdrawn")}[kind]
    info = cls.__fields__.get(workflow.field) if workflow is not None else None
    labels = dict(info.selection or ()) if info is not None else {}
    record = g.env[model].display_names([record_id]).get(record_id, "")
    return _("%(action)s: %(name)s is now %(state)s.", action=action, name=record,
             state=str(labels.get(state, state)))


@blueprint.route("/web/workflow/<model>/bulk/<name>", methods=["POST"])
@login_required
def bulk_transition(model: str, name: str) -> Any:
    """Take one transition on every selected record, each in a transaction of its own; say how
    many succeeded and why the others were refused."""
    _workflow_model(model)
    ids = list(dict.fromkeys(int(i) for i in request.form.getlist("ids") if str(i).isdigit()))
    if not ids:
        flash(_("Select at least one record."), "error")
        return redirect(safe_next(f"/web/{model}"))
    try:
        result = engine.take_each(g.env, model, ids, name, commit=g.env.session.commit)
    except KangyiError as exc:  # an unknown transition: nothing was tried
        flash(exc.message, "error")
        return redirect(safe_next(f"/web/{model}"))
    flash(_("%(done)s of %(total)s records done.", done=len(result.done), total=len(ids)),
          "success" if result.done else "error")
    for _rid, record_name, message in result.refused[:BULK_REFUSALS_SHOWN]:
        flash(_("%(name)s: %(reason)s", name=record_name, reason=message), "error")
    hidden = len(result.refused) - BULK_REFUSALS_SHOWN
    if hidden > 0:
        flash(_("… and %(n)s more refused.", n=hidden), "error")
    return redirect(safe_next(f"/web/{model}"))


@blueprint.route("/web/record/<model>/<int:record_id>/panel")
@login_required
def record_panel_page(model: str, record_id: int) -> Any:
    """The panel on a page of its own (history, attachments, activities, buttons)."""
    if model not in g.env.registry:
        abort(404)
    check_readable(model, record_id)
    title = g.env[model].display_names([record_id]).get(record_id, "")
    return render_template("workflow/record.html", model=model, record_id=record_id,
                           title=title)
