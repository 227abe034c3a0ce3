"""The bare Flask baseline for list and form pages.

One plain Flask app, no login, no access checks, no framework: each endpoint runs a hand-written
SQLAlchemy Core query equivalent to what the Kangyi page shows (the same filter, order, page size,
the names of many2one columns joined in) and renders the same rows in a minimal HTML table. The
Kangyi page divided by this one is the cost of everything the framework adds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import Engine, Table, func, select

__all__ = ["BareList", "BareForm", "BareBlock", "BarePage", "bare_app", "list_select",
           "group_select", "form_selects"]

PAGE = 80

_CELL = "{{ %s[name] if %s[name] is not none else '' }}"

_LIST = """<!doctype html><html><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><p>{{ total }} records</p>
<table><thead><tr>{% for label in labels %}<th>{{ label }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr>
{% for name in names %}<td>""" + _CELL % ("row", "row") + """</td>{% endfor %}
</tr>{% endfor %}</tbody></table></body></html>"""

_GROUPS = """<!doctype html><html><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><p>{{ total }} records</p><table><thead><tr><th>{{ label }}</th>
<th>Count</th>{% for sum in sums %}<th>{{ sum }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}
<tr><td>{{ row[0] if row[0] is not none else 'None' }}</td><td>{{ row[1] }}</td>
{% for value in row[2:] %}<td>{{ value if value is not none else '' }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></body></html>"""

_FORM = """<!doctype html><html><head><title>{{ record[rec_name] }}</title></head><body>
<h1>{{ record[rec_name] }}</h1><dl>{% for name, label in fields %}
<dt>{{ label }}</dt><dd>""" + _CELL % ("record", "record") + """</dd>{% endfor %}</dl>
{% if lines is not none %}<table><thead><tr>
{% for name, label in line_fields %}<th>{{ label }}</th>{% endfor %}</tr></thead>
<tbody>{% for line in lines %}<tr>
{% for name, label in line_fields %}<td>""" + _CELL % ("line", "line") + """</td>{% endfor %}
</tr>{% endfor %}</tbody></table>{% endif %}</body></html>"""


@dataclasses.dataclass(frozen=True)
class BareList:
    """A list page: ``table``'s ``columns`` (with many2one targets), filter, order, group."""

    key: str
    title: str
    table: Table
    columns: list[tuple[str, str, Table | None, str | None]]  # name, label, comodel table, rec
    where: Callable[[Table], Any]
    order: str
    groupby: tuple[str, Table | None, str | None]
    #: the numeric columns a group shows the totals of (as Kangyi's grouped list does)
    sums: tuple[str, ...] = ()


_PAGE = """<!doctype html><html><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1>{% for block in blocks %}<h2>{{ block.title }}{% if block.total is not none %}
({{ block.total }}){% endif %}</h2><table><thead><tr>
{% for name, label in block.fields %}<th>{{ label }}</th>{% endfor %}</tr></thead><tbody>
{% for row in block.rows %}<tr>{% for name, label in block.fields %}<td>""" + _CELL % (
    "row", "row") + """</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endfor %}
</body></html>"""


@dataclasses.dataclass(frozen=True)
class BareBlock:
    """One table of a :class:`BarePage`: ``columns`` of ``table`` (many2one names joined in)
    where ``where(table, arg)``, in ``order`` (column names, ``-`` for descending), at most
    ``limit`` rows; ``count``: a COUNT of the same rows too (a pager's total)."""

    title: str
    table: Table
    columns: list[tuple[str, str, Table | None, str | None]]
    where: Callable[[Table, int], Any]
    order: tuple[str, ...] = ("-id",)
    limit: int = 20
    count: bool = False
    #: a column whose sum over the rows is the block's total (its rows are not shown)
    total_of: str | None = None


@dataclasses.dataclass(frozen=True)
class BarePage:
    """A page of several tables about one record or user (``arg``): the inbox, the 360° page."""

    key: str
    title: str
    blocks: list[BareBlock]


def block_selects(block: BareBlock, arg: int) -> tuple[Any, Any | None]:
    t = block.table
    selected, source = _with_names(t, block.columns)
    order = [t.c[name[1:]].desc() if name.startswith("-") else t.c[name]
             for name in block.order]
    rows = (select(*selected).select_from(source).where(block.where(t, arg)).order_by(*order)
            .limit(block.limit))
    count = (select(func.count()).select_from(t).where(block.where(t, arg)) if block.count
             else None)
    if block.total_of is not None:
        count = select(func.sum(t.c[block.total_of])).where(block.where(t, arg))
    return rows, count


@dataclasses.dataclass(frozen=True)
class BareForm:
    """A form page: one row of ``table`` and, optionally, its lines from ``line_table``."""

    key: str
    table: Table
    fields: list[tuple[str, str, Table | None, str | None]]
    rec_name: str
    line_table: Table | None = None
    inverse: str | None = None
    line_fields: list[tuple[str, str, Table | None, str | None]] = dataclasses.field(
        default_factory=list)


def _with_names(table: Table, columns: list[tuple[str, str, Table | None, str | None]]
                ) -> tuple[list[Any], Any]:
    """Selected columns and the FROM clause, many2one columns replaced by the target's name."""
    selected, source = [table.c.id], table
    for name, _label, target, rec_name in columns:
        if target is None or rec_name is None:
            selected.append(table.c[name])
            continue
        alias = target.alias(f"{name}_target")
        source = source.outerjoin(alias, alias.c.id == table.c[name])
        selected.append(alias.c[rec_name].label(name))
    return selected, source


def list_select(spec: BareList) -> tuple[Any, Any]:
    """The page query and the count query."""
    t = spec.table
    selected, source = _with_names(t, spec.columns)
    page = (select(*selected).select_from(source).where(spec.where(t))
            .order_by(t.c[spec.order], t.c.id).limit(PAGE))
    count = select(func.count()).select_from(t).where(spec.where(t))
    return page, count


def group_select(spec: BareList) -> Any:
    t = spec.table
    name, target, rec_name = spec.groupby
    if target is None or rec_name is None:
        key, source = t.c[name], t
    else:
        alias = target.alias("group_target")
        key, source = alias.c[rec_name], t.outerjoin(alias, alias.c.id == t.c[name])
    return (select(key.label("key"), func.count().label("n"),
                   *(func.sum(t.c[name]) for name in spec.sums)).select_from(source)
            .where(spec.where(t)).group_by(key).order_by(key).limit(PAGE))


def form_selects(spec: BareForm, record_id: int) -> tuple[Any, Any | None]:
    t = spec.table
    selected, source = _with_names(t, spec.fields)
    head = select(*selected).select_from(source).where(t.c.id == record_id)
    if spec.line_table is None or spec.inverse is None:
        return head, None
    lt = spec.line_table
    line_cols, line_source = _with_names(lt, spec.line_fields)
    lines = (select(*line_cols).select_from(line_source).where(lt.c[spec.inverse] == record_id)
             .order_by(lt.c.id))
    return head, lines


def bare_app(engine: Engine, lists: list[BareList], forms: list[BareForm],
             pages: list[BarePage] | None = None) -> Flask:
    """The baseline app: ``/bare/list/<key>``, ``/bare/group/<key>``, ``/bare/form/<key>/<id>``
    and ``/bare/page/<key>/<arg>``."""
    app = Flask("kangyi_bare_baseline")
    page_template = app.jinja_env.from_string(_PAGE)
    pages_by_key = {p.key: p for p in pages or []}

    @app.route("/bare/page/<key>/<int:arg>")
    def bare_page(key: str, arg: int) -> str:
        spec = pages_by_key[key]
        blocks = []
        with engine.connect() as conn:
            for block in spec.blocks:
                rows, count = block_selects(block, arg)
                blocks.append({
                    "title": block.title,
                    "rows": [r._mapping for r in conn.execute(rows)] if block.limit else [],
                    "total": conn.scalar(count) if count is not None else None,
                    "fields": [(c[0], c[1]) for c in block.columns]})
        return page_template.render(title=spec.title, blocks=blocks)

    list_template = app.jinja_env.from_string(_LIST)
    group_template = app.jinja_env.from_string(_GROUPS)
    form_template = app.jinja_env.from_string(_FORM)
    by_key = {s.key: s for s in lists}
    forms_by_key = {s.key: s for s in forms}

    @app.route("/bare/list/<key>")
    def bare_list(key: str) -> str:
        spec = by_key[key]
        page, count = list_select(spec)
        with engine.connect() as conn:
            total = conn.scalar(count)
            rows = [r._mapping for r in conn.execute(page)]
        return list_template.render(title=spec.title, total=total, rows=rows,
                                    names=[c[0] for c in spec.columns],
                                    labels=[c[1] for c in spec.columns])

    @app.route("/bare/group/<key>")
    def bare_group(key: str) -> str:
        spec = by_key[key]
        with engine.connect() as conn:
            total = conn.scalar(list_select(spec)[1])
            rows = [tuple(r) for r in conn.execute(group_select(spec))]
        return group_template.render(title=spec.title, label=spec.groupby[0], rows=rows,
                                     total=total, sums=spec.sums)

    @app.route("/bare/form/<key>/<int:record_id>")
    def bare_form(key: str, record_id: int) -> str:
        spec = forms_by_key[key]
        head, lines = form_selects(spec, record_id)
        with engine.connect() as conn:
            record = conn.execute(head).one()._mapping
            line_rows = ([r._mapping for r in conn.execute(lines)] if lines is not None
                         else None)
        return form_template.render(record=record, rec_name=spec.rec_name,
                                    fields=[(f[0], f[1]) for f in spec.fields], lines=line_rows,
                                    line_fields=[(f[0], f[1]) for f in spec.line_fields])

    return app
