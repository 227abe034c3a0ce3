"""Kanban (cards in columns by a field) and calendar (records on a month grid) views."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from ..errors import KangyiError
from ..i18n import _
from . import blueprint
from .common import can, model_label, readable, service, view

#: the most cards or calendar entries one page shows
BOARD_LIMIT = 500


@blueprint.route("/web/<model>/kanban")
@login_required
def kanban_view(model: str) -> Any:
    svc = service(model)
    spec = view(model, "kanban")
    allowed = readable(svc)
    if spec.group_by not in allowed:
        abort(403, _("You may not see the field this board is grouped by."))
    names = [n for n in dict.fromkeys([spec.title, spec.group_by, *spec.fields]) if n in allowed]
    rows = svc.search_read([], names, limit=BOARD_LIMIT)
    columns, folded = _columns(svc, spec)
    cards: dict[Any, list[dict[str, Any]]] = {key: [] for key, _label in columns}
    for row in rows:
        value = row.get(spec.group_by)
        key = value[0] if isinstance(value, (list, tuple)) else (value or False)
        if key not in cards:  # a group the expanded columns do not list (or no value)
            columns.append((key, value[1] if isinstance(value, (list, tuple)) else _("None")))
            cards[key] = []
        cards[key].append(row)
    return render_template("web/kanban.html", model=model, title=model_label(svc), spec=spec,
                           columns=columns, cards=cards, infos=svc.fields, folded=folded,
                           fields=[n for n in spec.fields if n in allowed],
                           can_create=can(svc, "create"), can_move=_movable(svc, spec))


def _movable(svc: Any, spec: Any) -> bool:
    """May cards be moved between columns: the user may write the model and the grouping field
    is one a user sets (not read-only, e.g. not a workflow's state)."""
    info = svc.fields[spec.group_by]
    return (not info.readonly and info.type in ("selection", "many2one")
            and svc.env.access.field_allowed(info) and can(svc, "write"))


@blueprint.route("/web/<model>/<int:record_id>/move", methods=["POST"])
@login_required
def kanban_move(model: str, record_id: int) -> Any:
    """Move a card to another column (drag and drop, or the card's "Move to" list): write the
    board's grouping field through the model service (rights, rules, the model's checks)."""
    svc = service(model)
    spec = view(model, "kanban")
    if not _movable(svc, spec):
        abort(403, _("You may not move these cards."))
    info = svc.fields[spec.group_by]
    text = request.form.get("group", "")
    value: Any = (int(text) if text.isdigit() else False) if info.type == "many2one" else text
    try:
        svc.write([record_id], {spec.group_by: value or False})
    except KangyiError as exc:
        flash(exc.message, "error")
    else:
        name = svc.display_names([record_id]).get(record_id, "")
        flash(_("%(name)s moved.", name=name), "success")
    return redirect(url_for("web.kanban_view", model=model))


def _columns(svc: Any, spec: Any) -> tuple[list[tuple[Any, str]], set[Any]]:
    """The board's columns ``(key, label)`` in order, and the keys of the folded ones.

    Selections list every choice. A many2one lists the groups holding records, or with
    ``group_expand`` every co-model record the user may read (empty ones too), folded by the
    co-model's ``fold`` field.
    """
    info = svc.fields[spec.group_by]
    if info.type == "selection":
        return [(key, str(label)) for key, label in info.selection or ()], set()
    if not spec.group_expand or not svc.env.access.allowed(info.comodel, "read"):
        groups = svc.read_group([], [], spec.group_by)
        return [(g[spec.group_by][0] if g[spec.group_by] else False,
                 g[spec.group_by][1] if g[spec.group_by] else _("None")) for g in groups], set()
    comodel = svc.env[info.comodel]
    readable = comodel.fields_get()
    fold = spec.fold if readable.get(spec.fold, {}).get("type") == "boolean" else None
    ids = comodel.search([], limit=BOARD_LIMIT)
    names = comodel.display_names(ids)
    folded = set(comodel.search([(fold, "=", True)], limit=BOARD_LIMIT)) if fold else set()
    return [(i, names[i]) for i in ids], folded


def _month(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01") if text else dt.date.today().replace(day=1)
    except ValueError:
        return dt.date.today().replace(day=1)


@blueprint.route("/web/<model>/calendar")
@login_required
def calendar_view(model: str) -> Any:
    svc = service(model)
    spec = view(model, "calendar")
    first = _month(request.args.get("month"))
    last = (first + dt.timedelta(days=32)).replace(day=1)
    rows = svc.search_read([(spec.date_field, ">=", first.isoformat()),
                            (spec.date_field, "<", last.isoformat())],
                           [spec.title, spec.date_field], limit=BOARD_LIMIT,
                           order=spec.date_field)
    by_day: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        value = row[spec.date_field]
        if value:
            by_day.setdefault(value.day, []).append(row)
    weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(first.year, first.month)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return render_template("web/calendar.html", model=model, title=model_label(svc), spec=spec,
                           month=first, weeks=weeks, by_day=by_day,
                           previous=previous.strftime("%Y-%m"), next=last.strftime("%Y-%m"))
