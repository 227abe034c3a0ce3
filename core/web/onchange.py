"""Onchange: a form fills fields while the user types, by a dry run of the save.

A model maps in ``_onchange`` each field whose change fills others to the fields it fills
(a sales line's product: its unit, price and VAT; a lead's stage: its probability). When one of
them changes, the form posts itself to ``/web/<model>/onchange`` with ``__onchange`` (the input
changed, e.g. ``order_line-3-product_id``) and ``__touched`` (the inputs the user typed). The
server reads the form as the save does and, in a savepoint, writes the record (or creates it,
header included, when new) with the non-empty values posted but the filled fields the user did
not type — so the model fills them by the very rules of its ``create``/``write`` — reads them
back, rolls everything back and answers them as JSON; the page fills the inputs the user has not
typed. A refusal (an incomplete form) answers no values: the save will say what is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from flask import abort, g, jsonify, request
from flask_login import login_required

from ..errors import KangyiError
from ..forms import plain_value
from ..i18n import _
from ..values import shown_scale
from . import blueprint
from .common import can, service

ONCHANGE_ARG = "__onchange"
TOUCHED_ARG = "__touched"
RECORD_ARG = "__record_id"


def onchange_fields(cls: type) -> dict[str, tuple[str, ...]]:
    """A model's ``_onchange``: the fields whose change fills others, with the fields each
    fills (``{"product_id": ("product_uom", "price_unit", "vat_rate")}``)."""
    return dict(getattr(cls, "_onchange", None) or {})


def _json(value: Any, info: Any) -> Any:
    """A value as the form's input shows it (numbers as :class:`core.forms.NumberField`)."""
    if isinstance(value, Decimal):
        return format(value, f".{shown_scale(info, value)}f") if value.is_finite() else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) \
            else value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _values(form: Any, infos: dict[str, Any], prefix: str, names: list[str],
            refill: set[str]) -> dict[str, Any]:
    """The non-empty values of ``names`` posted under ``prefix``, but for those in ``refill``
    (filled by the changed field and not typed by the user: the model fills them again)."""
    vals = {}
    for name in names:
        if f"{prefix}{name}" not in request.form or name in refill:
            continue
        value = plain_value(infos[name], form[name].data)
        if value not in (None, False, "", []):
            vals[name] = value
    return vals


def _entry(field: Any, line: str, index: str) -> Any:
    """The line entry posted under ``index`` (WTForms renumbers entries 0, 1, … in order)."""
    pattern = re.compile(rf"{re.escape(line)}-(\d+)-")
    indices = sorted({int(m.group(1)) for key in request.form if (m := pattern.match(key))})
    if not index.isdigit() or int(index) not in indices:
        abort(400)
    return field.entries[indices.index(int(index))]


@blueprint.route("/web/<model>/onchange", methods=["POST"])
@login_required
def onchange(model: str) -> Any:
    from .records import _build, _line_fields

    svc = service(model)
    record_id = request.form.get(RECORD_ARG, type=int)
    if not (can(svc, "write", record_id) if record_id else can(svc, "create")):
        abort(403, _("You may not modify this record."))
    form_cls, spec = _build(svc, True)
    form = form_cls()
    changed = request.form.get(ONCHANGE_ARG, "")
    touched = set(request.form.getlist(TOUCHED_ARG)) | {changed}
    header = [f.name for f in spec.fields if f.name in spec.editable and f.name not in spec.lines]
    line, _sep, rest = changed.partition("-")
    index, _sep, column = rest.partition("-")
    is_line = line in spec.lines
    cls = g.env.registry[svc.fields[line].comodel or ""] if is_line else svc.cls
    fills = onchange_fields(cls).get(column if is_line else changed)
    if fills is None:
        abort(400)
    prefix = f"{line}-{index}-" if is_line else ""
    refill = {name for name in fills if f"{prefix}{name}" not in touched}
    session = g.env.session
    savepoint = session.begin_nested()
    try:
        if is_line:
            comodel = svc.fields[line].comodel or ""
            entry = _entry(form[line], line, index)
            row = _values(entry.form, _line_fields(comodel), prefix, spec.lines[line], refill)
            line_id = entry.form["id"].data
            command = (1, line_id, row) if line_id else (0, 0, row)
            before: set[int] = set()
            if record_id:
                before = set(svc.read([record_id], [line])[0][line] or [])
                svc.write([record_id], {line: [command]})
            else:
                record_id = svc.create({**_values(form, spec.infos, "", header, set()),
                                        line: [command]})
            after = svc.read([record_id], [line])[0][line] or []
            target = line_id or max(set(after) - before, default=None)
            read = g.env[comodel].read([target], list(fills))[0] if target else {}
        else:
            vals = _values(form, spec.infos, "", header, refill)
            if record_id:
                svc.write([record_id], vals)
            else:
                record_id = svc.create(vals)
            read = svc.read([record_id], list(fills))[0]
        infos = g.env.registry[cls._name].__fields__
        values = {name: _json(read[name], infos.get(name)) for name in fills if name in read}
    except KangyiError:
        values = {}
    finally:
        savepoint.rollback()
    return jsonify(values=values)
