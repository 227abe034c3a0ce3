"""Generic form view of any model: show, create, edit, delete a record, run its buttons.

The form class is generated from the model and its form view (:mod:`core.forms`); values are saved
through ``g.env[model]``, whose validation errors are shown next to the field concerned with the
user's input kept. Users who may not write see the record read-only. The form carries the
record's ``write_date`` (``__last_update``): a save over a newer version is refused with what
changed, the user's input kept (optimistic locking, :mod:`core.integrity`).
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import login_required

from ..caching import RegistryCache
from ..errors import AccessError, ConcurrencyError, KangyiError, UserError, ValidationError
from ..forms import FormSpec, form_class, form_values, initial_data
from ..i18n import _
from ..integrity import LAST_UPDATE
from ..related import related_buttons
from ..sections import form_sections
from ..service import ModelService
from ..views import as_field, views_of
from . import blueprint
from .common import can, mark_allowed, model_label, resolve_names, service, view
from .lines import render_lines
from .references import prefetch_many2one


def _line_fields(comodel: str) -> dict[str, Any]:
    svc = g.env[comodel]
    readable = svc.fields_get()
    return {name: svc.fields[name] for name in readable}


def _default_line_columns(comodel: str, inverse: str) -> list[str]:
    spec = views_of(g.env.registry).get(comodel, "list")
    return [as_field(c).name for c in spec.columns if as_field(c).name != inverse]


#: a record's one2many lines rendered from the values read (:mod:`core.web.lines`); False:
#: one WTForms form per line, as after a refused save (the tests compare both)
LINES_FROM_VALUES = True

#: what a user must be allowed on a line model to edit its lines in a form (else read-only);
#: removing a line needs ``unlink`` too
LINE_RIGHTS = ("write", "create")

#: generated form classes by model, editability, the user's groups and language (the fields a
#: user sees depend on groups; selection labels on the language), per registry
_FORM_CLASSES: RegistryCache[tuple[type, FormSpec]] = RegistryCache(256)


def _form_fields(svc: ModelService) -> dict[str, Any]:
    """The fields the user may see in the form: those they may read, but line tables of a
    model they may not read (a keeper reads a sales order, not its lines)."""
    access = svc.env.access
    return {name: desc for name, desc in svc.fields_get().items()
            if svc.fields[name].type != "one2many"
            or access.allowed(svc.fields[name].comodel or "", "read")}


def _build(svc: ModelService, editable: bool) -> tuple[type, FormSpec]:
    spec = view(svc._name, "form")
    access = svc.env.access
    include_passwords = access.allowed(svc._name, "write")
    key = (svc._name, editable, include_passwords, svc.env.su, access.group_ids,
           str(get_locale()))
    return _FORM_CLASSES.get(svc.env.registry, key, lambda: form_class(
        _form_fields(svc), svc.fields, list(spec.fields), editable, _line_fields, resolve_names,
        _default_line_columns, include_passwords=include_passwords,
        lines_editable=lambda comodel: all(access.allowed(comodel, op) for op in LINE_RIGHTS),
        lines_removable=lambda comodel: access.allowed(comodel, "unlink"),
        model=svc.cls))


def _shown_fields(svc: ModelService, form_spec: FormSpec) -> list[str]:
    """What the form shows of a record, its name and version (not every one2many of the
    model, each one more query)."""
    names = [f.name for f in form_spec.fields if form_spec.infos[f.name].type != "password"]
    extra = [n for n in (svc.cls._rec_name, *svc.cls._display_fields, "write_date", "state")
             if n in svc.fields]
    return list(dict.fromkeys([*names, *extra]))


def _line_rows(svc: ModelService, form_spec: FormSpec,
               record: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    rows = {}
    for name, columns in form_spec.lines.items():
        comodel = g.env[svc.fields[name].comodel or ""]
        rows[name] = comodel.read(record.get(name) or [], columns)
    return rows


def _lines_html(form: Any, form_spec: FormSpec, line_rows: dict[str, list[dict[str, Any]]],
                editable: set[str]) -> dict[str, Any]:
    """The rows of each line table in ``line_rows``, rendered from the values read (tables
    not in ``editable``, the fields editable now, read-only)."""
    return {name: render_lines(form[name], form_spec.lines[name], rows,
                               name not in editable, bool(form[name].subtotal),
                               new_line(form[name]),
                               form_spec.readonly_columns[name] if name in editable
                               else set(form_spec.lines[name]),
                               name in form_spec.removable and name in editable)
            for name, rows in line_rows.items()}


def _refused_lines(svc: ModelService, form: Any, form_spec: FormSpec,
                   record: dict[str, Any] | None, editable: set[str]) -> dict[str, Any]:
    """After a refused save: read-only tables rendered from the database, and the read-only
    cells of the lines the user sent given their stored values (the browser posts neither)."""
    if record is None:
        return {}
    rows = _line_rows(svc, form_spec, record)
    for name, readonly in form_spec.readonly_columns.items():
        if name not in editable or not readonly:
            continue
        stored = {row["id"]: row for row in rows[name]}
        for entry in form[name].entries:
            row = stored.get(entry.form["id"].data) or {}
            for column in readonly:
                entry.form[column].process(None, row.get(column))
    return _lines_html(form, form_spec, {name: rows[name] for name in form_spec.lines
                                         if name not in editable}, editable)


def _buttons(svc: ModelService, record: dict[str, Any] | None = None) -> list[Any]:
    """The view's header buttons the user may use (groups, the access rights the button
    needs), on ``record`` now if given (its state)."""
    spec = view(svc._name, "form")
    access = svc.env.access
    return [b for b in spec.buttons
            if (not b.groups or any(access.has_group(x) for x in b.groups))
            and (record is None or not b.states or record.get("state") in b.states)
            and (record is None or all(record.get(f) == v for f, v in b.when))
            and all(model in svc.env.registry and access.allowed(model, operation)
                    for model, operation in b.needs)]


def _related(svc: ModelService, record_id: int) -> list[tuple[str, int, str]]:
    """The form's smart buttons with documents the user may read: ``(label, count, address)``
    (one document: its form; several: their list), counted in one statement."""
    specs = view(svc._name, "form").related
    if not specs:
        return []
    result = []
    for button in related_buttons(svc.env, svc._name, record_id, specs):
        if button.record_id is not None:
            url = url_for("web.form_view", model=button.model, record_id=button.record_id)
        else:
            url = url_for("web.list_view", model=button.model,
                          domain=json.dumps([list(leaf) for leaf in button.domain]))
        result.append((button.label, button.count, url))
    return result


def _deletable(svc: ModelService, record_id: int | None, record: dict[str, Any] | None) -> bool:
    """Offer *Delete*: the user may delete the record, and its state allows it (the model's
    ``_unlink_states``, if it declares them)."""
    states = getattr(svc.cls, "_unlink_states", None)
    if record_id is None or (states and (record or {}).get("state") not in states):
        return False
    return can(svc, "unlink", record_id)


def new_line(field: Any) -> Any:
    """A blank line form for the add-a-line template; ``__index__`` is replaced by the script."""
    options = {"name": f"{field.name}{field._separator}__index__",
               "id": f"{field.id}{field._separator}__index__",
               "_meta": field.meta, "translations": field._translations}
    entry = field.meta.bind_field(field._form, field.unbound_field, options)
    entry.process(None)
    return entry


def _version(record: dict[str, Any] | None) -> str:
    """The version a form was opened on: the one posted back, else the record's write_date."""
    if request.method == "POST" and request.form.get(LAST_UPDATE):
        return request.form[LAST_UPDATE]
    written = (record or {}).get("write_date")
    return written.isoformat() if written else ""


def _render(svc: ModelService, form: Any, form_spec: FormSpec, record_id: int | None,
            record: dict[str, Any] | None, status: int = 200,
            lines_html: dict[str, Any] | None = None) -> Any:
    """The form page; ``lines_html``: one2many lines rendered from the values read (else the
    form's line entries are rendered, with the user's input and errors)."""
    title = (record_id and record and svc.display_name_from(record_id, record)) or (
        (record or {}).get(svc.cls._rec_name) or (_("New") if record_id is None else ""))
    panels = list(current_app.config.get("RECORD_PANEL_TEMPLATES", ()))
    editable = form_spec.editable_now(record) if record_id else set(form_spec.editable)

    def line_label(name: str, column: str) -> str:
        return g.env.registry[svc.fields[name].comodel or ""].__fields__[column].label
    prefetch_many2one((field.comodel, field.data) for field in form  # read-only: links
                      if getattr(field, "kind", None) == "many2one" and field.name not in editable)
    return render_template(
        "web/form.html", model=svc._name, model_title=model_label(svc), form=form,
        spec=form_spec, record_id=record_id, record=record or {}, title=title,
        title_code=getattr(svc.fields.get(svc.cls._rec_name or ""), "code", False),
        editable=bool(editable), editable_fields=editable,
        onchange=_onchange_inputs(svc, form_spec, editable),
        frozen=bool(form_spec.editable) and not editable,
        buttons=_buttons(svc, record) if record_id else [],
        related=_related(svc, record_id) if record_id else [],
        can_delete=_deletable(svc, record_id, record),
        can_create=can(svc, "create"), record_panels=panels, new_line=new_line,
        sections=form_sections(g.env, svc._name, record_id) if record_id else [],
        workflow_in_header=True, last_update=_version(record) if record_id else "",
        line_label=line_label, lines_html=lines_html or {}), status


def _onchange_inputs(svc: ModelService, form_spec: FormSpec, editable: set[str]) -> list[str]:
    """The editable inputs whose change fills others (``field`` or ``line.column``)."""
    from .onchange import onchange_fields

    inputs = [name for name in onchange_fields(svc.cls)
              if name in editable and name not in form_spec.lines]
    for line, columns in form_spec.lines.items():
        if line in editable:
            triggers = onchange_fields(g.env.registry[svc.fields[line].comodel or ""])
            inputs += [f"{line}.{column}" for column in columns if column in triggers]
    return inputs


def _attach_error(form: Any, exc: KangyiError) -> None:
    field = exc.details.get("field")
    if isinstance(field, str) and field in form:
        form[field].errors = [*form[field].errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def _show_conflict(form: Any, exc: ConcurrencyError, vals: dict[str, Any]) -> None:
    """The conflict on top; beside each field saved meanwhile with another value than the
    user's, the value now stored (the user's input stays in the field)."""
    form.form_errors.append(exc.message)
    current = exc.details.get("current") or {}
    for name, theirs in current.items():
        mine = vals.get(name)
        stored = theirs[0] if isinstance(theirs, (list, tuple)) and theirs else theirs
        if name not in form or name not in vals or stored == mine or (
                stored in (None, False, "") and mine in (None, False, "")):
            continue
        shown = theirs[1] if isinstance(theirs, (list, tuple)) and len(theirs) > 1 else theirs
        form[name].errors = [*form[name].errors, _("Saved meanwhile by someone else: %(value)s",
                                                   value="—" if shown in (None, False, "")
                                                   else shown)]


def _save(svc: ModelService, form: Any, form_spec: FormSpec, record_id: int | None,
          record: dict[str, Any] | None) -> Any:
    old_lines = {name: list((record or {}).get(name) or []) for name in form_spec.lines}
    editable = form_spec.editable_now(record) if record_id else set(form_spec.editable)
    form.editable = editable  # only what the user may change now is read and validated
    _show_stored(form, form_spec, record, editable)
    if form.validate_on_submit():
        vals = form_values(form, form_spec, old_lines, _line_fields, editable)
        try:
            if record_id is None:
                record_id = svc.create(vals)
            else:
                if request.form.get(LAST_UPDATE):
                    vals[LAST_UPDATE] = request.form[LAST_UPDATE]
                svc.write([record_id], vals)
        except ValidationError as exc:
            _attach_error(form, exc)
        except ConcurrencyError as exc:
            _show_conflict(form, exc, vals)
            return _render(svc, form, form_spec, record_id, record, 409,
                           lines_html=_refused_lines(svc, form, form_spec, record,
                                                     editable))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("web.form_view", model=svc._name, record_id=record_id))
    elif not form.errors:
        form.form_errors.append(_("The form could not be read; reload the page and try again."))
    return _render(svc, form, form_spec, record_id, record, 422,
                   lines_html=_refused_lines(svc, form, form_spec, record, editable))


def _show_stored(form: Any, form_spec: FormSpec, record: dict[str, Any] | None,
                 editable: set[str]) -> None:
    """Fields the user may not change now show the stored value, whatever was posted (line
    tables: :func:`_refused_lines`)."""
    if record is None:
        return
    data = initial_data(record, form_spec, {})
    for view_field in form_spec.fields:
        name = view_field.name
        if name not in editable and name not in form_spec.lines and name in data:
            form[name].process(None, data[name])


@blueprint.route("/web/<model>/new", methods=["GET", "POST"])
@login_required
def new_record(model: str) -> Any:
    svc = service(model)
    svc.env.access.check(model, "create")
    form_cls, form_spec = _build(svc, editable=True)
    if request.method == "POST":
        return _save(svc, form_cls(), form_spec, None, None)
    defaults = svc.default_get([f.name for f in form_spec.fields])
    for key, value in request.args.items():
        if key.startswith("default_") and key[8:] in form_spec.editable:
            defaults[key[8:]] = value
    for name, value in defaults.items():  # many2one widgets show the name beside the id
        info = svc.fields.get(name)
        if info is not None and info.type == "many2one" and str(value).isdigit():
            names = resolve_names(info.comodel or "", [int(value)])
            defaults[name] = (int(value), names.get(int(value), str(value)))
    form = form_cls(formdata=None, data=initial_data(defaults, form_spec, {}))
    return _render(svc, form, form_spec, None, None)


@blueprint.route("/web/<model>/<int:record_id>", methods=["GET", "POST"])
@login_required
def form_view(model: str, record_id: int) -> Any:
    svc = service(model)
    editable = can(svc, "write", record_id)
    form_cls, form_spec = _build(svc, editable)
    record = svc.read([record_id], _shown_fields(svc, form_spec))[0]
    mark_allowed(svc, "read", record_id)  # its panels need not check again
    if request.method == "POST":
        if not editable:
            abort(403, _("You may not modify this record."))
        return _save(svc, form_cls(), form_spec, record_id, record)
    line_rows = _line_rows(svc, form_spec, record)
    editable = form_spec.editable_now(record)
    if not LINES_FROM_VALUES:
        form = form_cls(formdata=None, data=initial_data(record, form_spec, line_rows))
        return _render(svc, form, form_spec, record_id, record)
    form = form_cls(formdata=None, data=initial_data(record, form_spec, {}))  # lines: below
    return _render(svc, form, form_spec, record_id, record,
                   lines_html=_lines_html(form, form_spec, line_rows, editable))


@blueprint.route("/web/<model>/<int:record_id>/delete", methods=["POST"])
@login_required
def delete_record(model: str, record_id: int) -> Any:
    svc = service(model)
    version = request.form.get(LAST_UPDATE)
    if version:  # the version shown: deleting a record changed since conflicts
        svc = svc.env.with_context(**{LAST_UPDATE: {f"{model},{record_id}": version}})[model]
    try:
        svc.unlink([record_id])
    except ConcurrencyError as exc:
        flash(exc.message, "error")
        return redirect(url_for("web.form_view", model=model, record_id=record_id))
    flash(_("Deleted."), "success")
    return redirect(url_for("web.list_view", model=model))


@blueprint.route("/web/<model>/<int:record_id>/call/<method>", methods=["POST"])
@login_required
def call_button(model: str, record_id: int, method: str) -> Any:
    """Run a header button's ``@public`` method; only buttons of the view the user may use on
    the record now (groups, state, access). The flash says what happened."""
    svc = service(model)
    fields = (["state"] if "state" in svc.fields else []) + sorted(
        {f for b in view(model, "form").buttons for f, _v in b.when})
    record = svc.read([record_id], fields)[0] if fields else {"id": record_id}
    button = next((b for b in _buttons(svc) if b.method == method and not b.url), None)
    if button is None:
        abort(403, _("This action is not available to you."))
    if button not in _buttons(svc, record):
        flash(_("This action is not available in the record's current state."), "error")
        return redirect(url_for("web.form_view", model=model, record_id=record_id))
    try:
        result = svc.call(method, [record_id])
    except (ValidationError, UserError, AccessError) as exc:
        flash(exc.message, "error")
        return redirect(url_for("web.form_view", model=model, record_id=record_id))
    flash(_button_done(button, result), "success")
    if button.opens and isinstance(result, int) and not isinstance(result, bool):
        return redirect(url_for("web.form_view", model=button.opens, record_id=result))
    return redirect(url_for("web.form_view", model=model, record_id=record_id))


def _button_done(button: Any, result: Any) -> str:
    """What a button did: its ``done`` message, what its method says it did (a text, or
    ``{"message": text}``), or its label."""
    if button.done:
        return str(button.done)
    if isinstance(result, dict) and result.get("message"):
        return str(result["message"])
    if isinstance(result, str) and result:
        return result
    return _("%(action)s: done.", action=str(button.label))
