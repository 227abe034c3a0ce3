"""Reference fields (:func:`core.fields.Reference`) in pages: a cell or a read-only value is a
link to the record named by its display name (its name only when the user may not open it),
an editable one a choice of the kind of record and a search-as-you-type input for the record.
A read-only many2one value is likewise a link when the user may open its record
(:func:`many2one_link`; a form's values are resolved at once by :func:`prefetch_many2one`).

Targets are resolved once per request and value (:func:`prefetch_references` resolves a list
page's at once: two queries per target model, see :func:`core.references.resolve`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g, url_for
from markupsafe import Markup, escape

from ..i18n import _
from ..references import Target, format_reference, parse, readable_ids, resolve

__all__ = ["many2one_link", "prefetch_many2one", "prefetch_references", "reference_cell",
           "reference_name", "reference_input"]

#: ``g`` key: ``{stored reference: its target or None}`` resolved during this request
_TARGETS = "kangyi_references"
#: ``g`` key: ``{model: {id: whether the user may open it}}`` of many2one values
_OPENABLE = "kangyi_many2one_openable"


def prefetch_references(values: Iterable[Any]) -> None:
    """Resolve the references among ``values`` at once, for the cells of a list not to
    resolve them one by one."""
    known: dict[str, Target | None] = g.setdefault(_TARGETS, {})
    missing = {v for v in values if isinstance(v, str) and v and v not in known}
    if not missing:
        return
    targets = resolve(g.env, missing)
    for value in missing:
        parsed = parse(value)
        known[value] = targets.get(format_reference(*parsed)) if parsed else None


def _target(value: str) -> Target | None:
    prefetch_references([value])
    return g.get(_TARGETS, {}).get(value)


def reference_name(value: Any) -> str:
    """What a reference reads as: its target's display name (the kind of record and its id
    when the record is gone); the kind of record when it names only a model; the text itself
    when it names no installed model."""
    if not isinstance(value, str) or not value:
        return ""
    target = _target(value)
    if target is not None:
        return target.name
    if value in g.env.registry:
        return str(g.env.registry[value]._description or value)
    return value


def reference_cell(value: Any) -> Any:
    """A stored reference as the user reads it: a link to its record, named, when the user
    may open it, else :func:`reference_name`; the ``reference`` template filter."""
    if not isinstance(value, str):
        return value
    target = _target(value) if value else None
    if target is None or not (target.readable and target.exists):
        return reference_name(value)
    return Markup('<a class="reference" href="{}">{}</a>').format(
        url_for("web.form_view", model=target.model, record_id=target.id), target.name)


def prefetch_many2one(values: Iterable[tuple[str, Any]]) -> None:
    """Resolve whether the user may open each ``(model, id)`` at once: one query per model
    with record rules (none for a model without rules, nor for the superuser)."""
    known: dict[str, dict[int, bool]] = g.setdefault(_OPENABLE, {})
    wanted: dict[str, set[int]] = {}
    for model, rid in values:
        if rid and rid not in known.get(model, {}):
            wanted.setdefault(model, set()).add(int(rid))
    for model, ids in wanted.items():
        readable = readable_ids(g.env, model, ids)
        known.setdefault(model, {}).update((rid, rid in readable) for rid in ids)


def many2one_link(field: Any) -> Any:
    """A read-only :class:`core.forms.Many2oneField`'s value: a link to its record when the
    user may open it (access rights and record rules), else its name."""
    if not field.data:
        return field.display
    prefetch_many2one([(field.comodel, field.data)])  # nothing to do when prefetched
    if not g.get(_OPENABLE, {}).get(field.comodel, {}).get(field.data):
        return field.display
    return Markup('<a class="many2one" href="{}">{}</a>').format(
        url_for("web.form_view", model=field.comodel, record_id=field.data), field.display)


def reference_input(field: Any, **attrs: Any) -> Markup:
    """The editable widget of a :class:`core.forms.ReferenceField`: the kind of record (a
    choice among the field's models) and the record (searched as in a many2one)."""
    parsed = parse(field.data) if field.data else None
    current = parsed[0] if parsed else (field.models[0][0] if field.models else "")
    options = Markup("").join(
        Markup('<option value="{}" data-url="{}"{}>{}</option>').format(
            model, url_for("web.name_search", model=model),
            Markup(" selected") if model == current else "", label)
        for model, label in field.models)
    ident, name = escape(field.id), escape(field.name)
    extra = Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in attrs.items())
    required = Markup(" required") if field.flags.required else ""
    return Markup(
        '<div class="ref"><select name="{name}_model" aria-label="{kind}">{options}</select>'
        '<div class="m2o" data-url="{url}"><input type="text" id="{ident}" '
        'name="{name}_display" value="{display}" autocomplete="off" role="combobox" '
        'aria-autocomplete="list" aria-expanded="false" aria-controls="{ident}-list"{required}'
        '{extra}><input type="hidden" name="{name}" value="{rid}"><ul class="m2o-results" '
        'id="{ident}-list" role="listbox" hidden></ul></div></div>').format(
            name=name, kind=_("Kind of %(field)s", field=field.label.text), options=options,
            url=url_for("web.name_search", model=current) if current else "", ident=ident,
            display=reference_name(field.data), required=required, extra=extra,
            rid=parsed[1] if parsed else "")
