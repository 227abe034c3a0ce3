"""One2many lines of a form, rendered in Python from the values read.

A form of 50 lines built one WTForms form per line (a bound field per cell, ~30 µs each) and ran
the ``widget`` macro per cell: most of the page's time. Shown from the database (GET), the lines
are rendered here instead: one bound field per column (of the blank line the "add a line"
template uses), given each line's value in turn and written by its own WTForms widget, with
the macro's markup for what the macro writes itself (many2one inputs, read-only values). After
a refused save the page shows the user's input and errors through the WTForms lines as before.
``tests/test_web_form.py`` checks that both give the same rows.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from markupsafe import Markup, escape

from ..i18n import _
from .cells import format_value
from .references import many2one_link, prefetch_many2one, reference_cell, reference_input

__all__ = ["render_lines"]


def render_lines(field: Any, columns: list[str], rows: list[dict[str, Any]], readonly: bool,
                 subtotal: bool, blank: Any, readonly_columns: set[str] = frozenset(),
                 removable: bool = True) -> Markup:
    """The ``<tr>`` of every line of the one2many ``field`` (bound, without entries), as the
    form template writes them; ``blank`` is a blank line entry (its fields are reused). A
    read-only table posts nothing; read-only columns of an editable one are shown only."""
    prefix = f"{field.name}{field._separator}"
    cells = [(col, blank.form[col], str(blank.form[col].label.text),
              readonly or col in readonly_columns,
              None if readonly or col in readonly_columns else _stencil(blank.form[col]))
             for col in columns]
    prefetch_many2one((sub.comodel, _record_id(row.get(col)))
                      for col, sub, _label, cell_readonly, _s in cells
                      if cell_readonly and getattr(sub, "kind", None) == "many2one"
                      for row in rows)
    remove = _("Remove line %(n)s")
    urls: dict[str, str] = {}  # name_search address by comodel
    out = []
    for index, row in enumerate(rows):
        line_no = index + 1
        base = f"{prefix}{index}{field._separator}"
        html = ['<tr class="line">']
        for position, (col, sub, label, cell_readonly, stencil) in enumerate(cells):
            sub.id = sub.name = f"{base}{col}"
            sub.raw_data = None
            sub.process(None, row.get(col))
            if stencil is not None:
                shown = stencil.replace(_ID, escape(sub.id)).replace(_VALUE, escape(sub._value()))
            else:
                shown = _widget(sub, cell_readonly, urls)
            first = (f'<input type="hidden" name="{escape(base)}id" '
                     f'value="{escape(row["id"])}">' if position == 0 and not readonly else "")
            html.append(f'<td data-col="{escape(col)}">{first}<label class="sr-only" '
                        f'for="{escape(sub.id)}">{escape(label)} {line_no}</label>'
                        f'{shown}</td>')
        if subtotal:
            html.append('<td class="num subtotal" aria-live="polite"></td>')
        if not readonly:  # the column stays (a new line may be removed), its button may not
            html.append('<td><button type="button" class="line-remove" aria-label="'
                        f'{escape(remove % {"n": line_no})}">×</button></td>' if removable
                        else "<td></td>")
        html.append("</tr>")
        out.append("".join(html))
    return Markup("\n".join(out))


def _record_id(value: Any) -> Any:
    """The id of a many2one value as read (an id, or an ``(id, name)`` pair)."""
    return value[0] if isinstance(value, (list, tuple)) and value else value


_ID, _VALUE = "\x01", "\x02"
#: inputs whose markup differs from line to line only by the name, id and value
_STENCILLED = ("StringField", "DecimalField", "NumberField", "IntegerField", "DateField",
               "DateTimeLocalField")


def _stencil(field: Any) -> str | None:
    """The input of ``field`` with placeholders for its name, id and value (filled per line:
    a WTForms widget call per cell sorts and escapes every attribute again)."""
    if field.type not in _STENCILLED or getattr(field, "kind", None):
        return None
    field.id = field.name = _ID
    field.raw_data, field.data = [_VALUE], _VALUE  # text inputs show data, others raw_data
    stencil = _widget(field, False, {})
    field.raw_data = field.data = None
    return stencil if stencil.count(_VALUE) == 1 else None


def _widget(field: Any, readonly: bool, urls: dict[str, str]) -> str:
    """What the ``widget`` macro of ``web/macros/fields.html`` writes for a line's cell."""
    kind = getattr(field, "kind", field.type)
    ident = escape(field.id)
    if readonly:
        if kind == "many2one":
            return f'<span class="ro" id="{ident}">{escape(many2one_link(field))}</span>'
        elif kind == "reference":
            shown = reference_cell(field.data)
        elif kind == "many2many":
            tags = "".join(f'<li class="tag">{escape(name)}</li>' for _i, name in field.tags())
            return f'<ul class="tags ro" id="{ident}">{tags}</ul>'
        elif field.type == "SelectField":
            shown = "".join(str(c.label) for c in field.choices if c.value == field.data)
        elif field.type == "BooleanField" or field.data is not None:
            shown = format_value(field.data)
        else:
            shown = ""
        return f'<span class="ro" id="{ident}">{escape(shown)}</span>'
    if kind in ("many2one", "many2many"):
        url = urls.get(field.comodel)
        if url is None:
            url = urls[field.comodel] = escape(url_for("web.name_search", model=field.comodel))
    if kind == "reference":
        return str(reference_input(field))
    if kind == "many2one":
        required = " required" if field.flags.required else ""
        return (f'<div class="m2o" data-url="{url}">'
                f'<input type="text" id="{ident}" name="{escape(field.name)}_display" '
                f'value="{escape(field.display)}" autocomplete="off" role="combobox" '
                f'aria-autocomplete="list" aria-expanded="false" aria-controls="{ident}-list"'
                f'{required}><input type="hidden" name="{escape(field.name)}" '
                f'value="{escape(field._value())}"><ul class="m2o-results" id="{ident}-list" '
                'role="listbox" hidden></ul></div>')
    if kind == "many2many":
        name = escape(field.name)
        tags = "".join(
            f'<li class="tag"><input type="hidden" name="{name}" value="{escape(i)}">'
            f'{escape(label)}<button type="button" class="tag-remove" aria-label="'
            f'{escape(_("Remove %(name)s", name=label))}">×</button></li>'
            for i, label in field.tags())
        return (f'<div class="m2m" data-url="{url}" data-name="{name}"><ul class="tags">{tags}'
                f'</ul><input type="text" id="{ident}" autocomplete="off" role="combobox" '
                f'aria-autocomplete="list" aria-expanded="false" aria-controls="{ident}-list" '
                f'placeholder="{escape(_("Add…"))}"><ul class="m2o-results" id="{ident}-list" '
                'role="listbox" hidden></ul></div>')
    if field.type == "DateField":
        return str(field.widget(field, type="date"))
    if field.type == "DecimalField":
        return str(field.widget(field, inputmode="decimal"))
    if field.type == "IntegerField":
        return str(field.widget(field, type="number", step="1"))
    return str(field.widget(field))
