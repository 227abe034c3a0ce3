"""Saved views (``ir.filters``) on the pivot and graph pages: save the current analysis, open
one, the user's default per model (or per menu), pins for the dashboard."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, g, redirect, request, url_for

from core.errors import KangyiError
from core.i18n import _
from core.web.common import request_domain

from .security import GENERAL_MANAGER

__all__ = ["saved_views", "save_view", "view_url", "default_args"]


def _visible(env: Any, model: str) -> list[dict[str, Any]]:
    """The saved views of ``model`` the user may read (record rules: own and shared)."""
    return env["ir.filters"].search_read(
        [("model_id", "=", model)],
        ["name", "domain", "context", "user_id", "group_id", "is_default", "menu_id", "pinned"])


def view_url(saved: dict[str, Any]) -> str:
    """The address that opens a saved view (its kind, search, grouping and measures)."""
    context = json.loads(saved.get("context") or "{}")
    args = dict(context.get("args") or {})
    domain = json.loads(saved.get("domain") or "[]")
    if domain:
        args["domain"] = json.dumps(domain)
    return url_for("pages.serve_kind", model=saved["model_id"],
                   kind=context.get("kind", "pivot"), **args)


def default_args(env: Any, model: str) -> dict[str, Any] | None:
    """The address keys of the user's default view of ``model`` (their own before a shared
    one), or None."""
    menu = request.args.get("menu", "")
    found = [f for f in _visible(env, model) if f["is_default"]]
    found.sort(key=lambda f: (f["menu_id"] != menu if menu else False, not f["user_id"]))
    if not found:
        return None
    context = json.loads(found[0]["context"] or "{}")
    args = dict(context.get("args") or {})
    domain = json.loads(found[0]["domain"] or "[]")
    if domain:
        args["domain"] = domain
    return args


def saved_views(svc: Any, analysis: Any) -> dict[str, Any]:
    """What the pages show of saved views: the list and the save form."""
    views = [dict(v, url=view_url(dict(v, model_id=svc._name))) for v in _visible(svc.env,
                                                                                   svc._name)]
    return {"views": views, "can_share": svc.env.access.has_group(GENERAL_MANAGER)
            or svc.env.access.has_group("base.group_system"),
            "groups": _groups(svc.env), "action": _save_url(svc._name)}


def _save_url(model: str) -> str:
    from core.pages import pages_of

    return pages_of(g.env.registry).url("analytics.save_view", model=model)


def _groups(env: Any) -> list[tuple[int, str]]:
    if not (env.access.has_group(GENERAL_MANAGER) or env.access.has_group("base.group_system")):
        return []
    return sorted(env["res.groups"].sudo().display_names(
        env["res.groups"].sudo().search([])).items(), key=lambda p: p[1])


def save_view(model: str) -> Any:
    """POST: save the analysis the form carries as a saved view."""
    env = g.env
    if model not in env.registry:
        abort(404)
    form = request.form
    kind = form.get("kind", "pivot")
    if kind not in ("pivot", "graph"):
        abort(400)
    back = url_for("pages.serve_kind", model=model, kind=kind)
    try:
        args = json.loads(form.get("args") or "{}")
        domain = request_domain(form)
        if not isinstance(args, dict):
            raise ValueError
    except (ValueError, KangyiError):
        flash(_("The view to save is not valid."), "error")
        return redirect(back)
    args.pop("domain", None)
    args.pop("export", None)
    share = form.get("share", "")
    values: dict[str, Any] = {
        "name": form.get("name", "").strip(), "model_id": model,
        "domain": json.dumps(domain), "context": json.dumps({"kind": kind, "args": args}),
        "user_id": env.uid, "is_default": bool(form.get("is_default")),
        "pinned": bool(form.get("pinned")), "menu_id": form.get("menu_id") or False}
    if share == "all":
        values["user_id"] = False
    elif share.isdigit():
        values.update(user_id=False, group_id=int(share))
    try:
        if not values["name"]:
            raise KangyiError(_("Give the view a name."))
        if values["is_default"]:  # one default per user (or share) and model
            env["ir.filters"].write(env["ir.filters"].search([
                ("model_id", "=", model), ("is_default", "=", True),
                ("user_id", "=", values["user_id"])]), {"is_default": False})
        saved = env["ir.filters"].create(values)
    except KangyiError as exc:
        flash(exc.message, "error")
        return redirect(back)
    flash(_("View %(name)s saved.", name=values["name"]), "success")
    return redirect(view_url({"model_id": model, "context": values["context"],
                              "domain": values["domain"], "id": saved}))
