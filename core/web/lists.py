"""Generic list view of any model: search, filters, sort, pagination, group-by, bulk actions.

Everything reads through ``g.env[model]`` so access rights, record rules and field groups apply.
A page costs a fixed number of queries whatever the number of rows (one search, one read, one
per many2one column for names, one count).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import (
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_required
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from ..domain import AND, OR
from ..errors import ValidationError
from ..export import export_table, to_csv, to_xlsx
from ..i18n import _
from ..jobs import enqueue
from ..service import ModelService
from ..views import ListView, as_field, visible
from . import blueprint
from .cells import formatter
from .common import can, local_url, model_label, query_args, readable, request_domain, service, view
from .references import prefetch_references

_NUMERIC = ("integer", "decimal", "monetary")
#: how many levels of grouping a list offers
GROUP_LEVELS = 4
#: what werkzeug's ``url_for`` leaves unquoted in query values (the same addresses)
_URL_SAFE = "!$'()*,/:;?@"


@dataclasses.dataclass
class ListState:
    """What the user asked of a list page, read from the query string."""

    search: str
    filters: list[str]
    #: the grouping levels, outermost first
    groupby: list[str]
    order: str | None
    page: int
    domain: list[Any]
    #: the level of the groups a fragment asks for (0: the page's own groups)
    depth: int = 0


def list_title(svc: Any) -> str:
    """The list's title: the name of the menu entry it was opened from ("Quotations and
    orders", plural as menus are), else the model's description."""
    from .shell import current_menu, user_menus

    menu = current_menu(user_menus())
    if menu is not None and menu.model == svc._name and menu.view == "list":
        return str(menu.name)
    return model_label(svc)


def _state(spec: ListView, allowed: dict[str, Any], args: MultiDict[str, str]) -> ListState:
    groupby: list[str] = []
    for name in args.getlist("groupby"):
        if name in spec.group_by and name in allowed and name not in groupby:
            groupby.append(name)
    groupby = groupby[:GROUP_LEVELS]
    order = args.get("order") or None
    if order:
        name, _sep, direction = order.partition(" ")
        columns = [c.name for c in visible(spec.columns, allowed)]
        if name not in columns or direction not in ("", "asc", "desc"):
            raise ValidationError(_("This list cannot be sorted by %(order)s.", order=order))
    return ListState(args.get("q", "").strip(), args.getlist("filter"), groupby, order,
                     max(_number(args.get("page"), 1), 1), request_domain(args),
                     min(max(_number(args.get("depth"), 0), 0), max(len(groupby) - 1, 0)))


def _number(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


def _search_domain(svc: ModelService, spec: ListView, allowed: dict[str, Any],
                   text: str) -> list[Any]:
    if not text:
        return []
    parts = []
    for name in spec.search:
        info = svc.fields.get(name)
        if info is None or name not in allowed:
            continue
        if info.type in ("char", "text"):
            parts.append([(name, "ilike", text)])
        elif info.type == "many2one":
            rec_name = svc.env.registry[info.comodel or ""]._rec_name
            parts.append([(f"{name}.{rec_name}", "ilike", text)])
        elif info.type == "integer" and text.lstrip("-").isdigit():
            parts.append([(name, "=", int(text))])
    return OR(*parts) if parts else [(svc.cls._rec_name, "ilike", text)]


def list_domain(svc: ModelService, spec: ListView, allowed: dict[str, Any],
                state: ListState) -> list[Any]:
    """The domain of the page: search text, chosen filters and the drill-down domain."""
    chosen = [list(f.domain) for f in spec.filters if f.name in state.filters]
    return AND(_search_domain(svc, spec, allowed, state.search), *chosen, state.domain)


def args_domain(svc: ModelService, args: MultiDict[str, str]) -> list[Any]:
    """The domain a list's address asks for (``q``, ``filter``, ``domain``), for the pages
    that take a list's search along (pivot, graph)."""
    spec = view(svc._name, "list")
    allowed = readable(svc)
    return list_domain(svc, spec, allowed, _state(spec, allowed, MultiDict(
        [(k, v) for k, v in args.items(multi=True) if k in ("q", "filter", "domain")])))


@dataclasses.dataclass(frozen=True)
class Row:
    """A list row ready to render: its id, form address, checkbox label and formatted cells."""

    id: int
    url: str
    label: str
    cells: list[tuple[str, Any]]
    #: the row's cells as ``<td>`` elements, the first a link to the form
    html: Markup = Markup()


def table_rows(model: str, columns: list[Any], infos: dict[str, Any],
               rows: list[dict[str, Any]]) -> list[Row]:
    """Format every cell in Python, one formatter per column (not a template filter per cell),
    and write the cells' HTML (a Jinja loop per cell was most of an 80-row page)."""
    # a code (a login, a model name) is marked as text not to translate
    css = [("num" if infos[c.name].type in _NUMERIC else "")
           + ('" translate="no' if infos[c.name].code else "") for c in columns]
    formatters = [formatter(infos[c.name], c.translate) for c in columns]
    names = [c.name for c in columns]
    references = [name for name in names if infos[name].type == "reference"]
    if references:  # named and checked for the whole page at once
        prefetch_references(row.get(name) for row in rows for name in references)
    form_url = url_for("web.form_view", model=model, record_id=0)[:-1]  # + id
    select = _("Select %(name)s")
    out = []
    for row in rows:
        cells = [(css[i], fmt(row.get(names[i]))) for i, fmt in enumerate(formatters)]
        first = cells[0][1] if cells else ""
        url = f"{form_url}{row['id']}"
        html = "".join(f'<td class="{c}">{escape(value)}</td>' for c, value in cells[1:])
        if cells:
            html = (f'<td class="{cells[0][0]}"><a href="{escape(url)}">'
                    f'{escape(first or "#" + str(row["id"]))}</a></td>{html}')
        out.append(Row(row["id"], url, select % {"name": first if cells else row["id"]}, cells,
                       Markup(html)))
    return out


def _groups(svc: ModelService, domain: list[Any], state: ListState, sums: list[str],
            size: int) -> tuple[list[dict[str, Any]], str | None]:
    """One page of groups (``size`` of them) of the level ``state.depth`` and the address of
    the next page (None: the last). Each group has its records' address (``__url``) and the
    address its expand button loads (``__rows_url``): the next level's groups, or at the last
    level its rows; built here: two ``url_for`` and a JSON filter per group in the template
    were most of a grouped page's time."""
    groupby = state.groupby[state.depth]
    last = state.depth + 1 == len(state.groupby)
    groups = svc.read_group(domain, sums, groupby, offset=(state.page - 1) * size,
                            limit=size + 1)
    base = url_for("web.list_view", model=svc._name, q=state.search or None,
                   filter=state.filters)
    base += "&" if "?" in base else "?"
    below = "&" + urlencode({"groupby": state.groupby, "depth": state.depth + 1,
                             "fragment": "groups"}, doseq=True)
    policies = current_app.jinja_env.policies  # the template's ``tojson``, as it calls it
    dumps = policies["json.dumps_function"]
    kwargs = policies["json.dumps_kwargs"]
    label = formatter(svc.fields[groupby])
    totals = [formatter(svc.fields[name]) for name in sums]
    none = _("None")
    for group in groups[:size]:
        group["__label"] = label(group[groupby]) or none
        group["__sums"] = [fmt(group[name]) for fmt, name in zip(totals, sums, strict=True)]
        group["__leaf"] = AND(state.domain, group["__domain"][len(domain):])
        group["__count"] = group.get(f"{groupby}_count", 0)
        group["__url"] = url = base + urlencode({"domain": htmlsafe_json_dumps(
            group["__leaf"], dumps, **kwargs)}, safe=_URL_SAFE)
        group["__rows_url"] = f"{url}&fragment=rows" if last else url + below
    more = None
    if len(groups) > size:
        more = url_for("web.list_view", model=svc._name, **query_args(page=state.page + 1))
    return groups[:size], more


@blueprint.route("/web/<model>")
@login_required
def list_view(model: str) -> Any:
    svc = service(model)
    spec = view(model, "list")
    allowed = readable(svc)
    columns = visible(spec.columns, allowed)
    state = _state(spec, allowed, request.args)
    domain = list_domain(svc, spec, allowed, state)
    size = int(current_app.config["LIST_PAGE_SIZE"])
    sums = [c.name for c in columns
            if svc.fields[c.name].type in _NUMERIC and svc.fields[c.name].stored]
    fragment = request.args.get("fragment")  # a group's rows or groups, loaded on expand
    if state.groupby and fragment != "rows":  # a page of groups; what is below loads on demand
        groups, more = _groups(svc, domain, state, sums, size)
        if fragment == "groups":
            return render_template("web/list_groups.html", groups=groups, depth=state.depth,
                                   last=state.depth + 1 == len(state.groupby), sums=sums,
                                   more=more)
        # the grand total: the count and sums of every group, not of the page's
        totals = svc.read_group(domain, sums, [])[0]
        return render_template(
            "web/list.html", total=totals["__count"], page=state.page,
            pages=state.page + 1 if more else state.page, groups=groups,
            totals=[formatter(svc.fields[name])(totals[name]) for name in sums],
            **_page(svc, spec, allowed, state, columns, size, sums, []))
    total = svc.search_count(domain)
    pages = max(math.ceil(total / size), 1)
    page = min(state.page, pages)
    rows = svc.search_read(domain, [c.name for c in columns], offset=(page - 1) * size,
                           limit=size, order=state.order or spec.order)
    if fragment:
        return render_template("web/list_rows.html", model=model, columns=columns,
                               infos=svc.fields, table=table_rows(model, columns, svc.fields, rows),
                               total=total, query_args=query_args)
    return render_template("web/list.html", total=total, page=page, pages=pages, groups=None,
                           **_page(svc, spec, allowed, state, columns, size, sums, rows))


def _page(svc: ModelService, spec: ListView, allowed: dict[str, Any], state: ListState,
          columns: list[Any], size: int, sums: list[str],
          rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the list page shows grouped or not."""
    model = svc._name
    return dict(
        model=model, title=list_title(svc), spec=spec, columns=columns, infos=svc.fields,
        rows=rows, table=table_rows(model, columns, svc.fields, rows), state=state, size=size,
        sums=sums, query_args=query_args, levels=GROUP_LEVELS,
        levels_label=" › ".join(str(svc.fields[name].label) for name in state.groupby),
        group_by=[(g_, svc.fields[g_].label) for g_ in spec.group_by if g_ in allowed],
        can_create=can(svc, "create"), can_delete=can(svc, "unlink"),
        kinds=_other_kinds(model))


def _other_kinds(model: str) -> list[str]:
    """The view kinds the list's switch offers: the model's declared ones and those an addon
    serves for every model (pivot, graph: ``Page(kind=...)``)."""
    from ..pages import pages_of
    from ..views import views_of

    declared = [k for k in views_of(g.env.registry).kinds(model) if k != "form"]
    return declared + list(pages_of(g.env.registry).kinds)


@blueprint.route("/web/<model>/bulk", methods=["POST"])
@login_required
def bulk(model: str) -> Any:
    """Delete or export the selected rows (or, for exports, every row of the current search);
    an export above ``EXPORT_JOB_ROWS`` rows runs as a background job."""
    svc = service(model)
    action = request.form.get("action", "")
    try:
        ids = [int(i) for i in request.form.getlist("ids")]
    except ValueError as exc:
        raise ValidationError(_("The selection is not valid.")) from exc
    back = local_url(request.form.get("back"), url_for("web.list_view", model=model))
    if action == "delete":
        if not ids:
            flash(_("Select the records to delete first."), "error")
            return redirect(back)
        svc.unlink(ids)
        flash(_("%(count)s records deleted.", count=len(ids)), "success")
        return redirect(back)
    if action not in ("csv", "xlsx"):
        raise ValidationError(_("Unknown action %(action)s.", action=action))
    query = request.form.get("query", "")
    count = len(ids) if ids else svc.search_count(_export_domain(model, query))
    if count > int(current_app.config["EXPORT_JOB_ROWS"]):  # a background job, followed live
        job_id = enqueue(g.env, "core.web.background:export_list", model, action, ids, query,
                         name=_("Export %(model)s (%(count)s rows)", model=list_title(svc),
                                count=count))
        return redirect(url_for("jobs.job_status", job_id=job_id))
    data, filename, mimetype = export_file(model, action, ids, query)
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


def _export_domain(model: str, query: str) -> list[Any]:
    """The domain of the list search carried in ``query`` (the list page's query string)."""
    svc, spec = service(model), view(model, "list")
    allowed = readable(svc)
    return list_domain(svc, spec, allowed, _state(spec, allowed, MultiDict(parse_qsl(query))))


def export_file(model: str, action: str, ids: list[int], query: str,
                report: Callable[[int, int], None] | None = None) -> tuple[bytes, str, str]:
    """``(content, file name, MIME type)`` of the export of the list of ``model``: the rows
    ``ids``, else those of the search in ``query``, as ``action`` (``csv`` or ``xlsx``)."""
    svc, spec = service(model), view(model, "list")
    allowed = readable(svc)
    columns = [c.name for c in visible(spec.columns, allowed)]
    if ids:
        header, body = export_table(svc, columns, ids=ids, report=report)
    else:
        state = _state(spec, allowed, MultiDict(parse_qsl(query)))
        header, body = export_table(svc, columns, list_domain(svc, spec, allowed, state),
                                    order=state.order or spec.order, report=report)
    filename = model.replace(".", "_")
    if action == "csv":
        return to_csv(header, body), f"{filename}.csv", "text/csv; charset=utf-8"
    return (to_xlsx(header, body, model_label(svc)), f"{filename}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@blueprint.route("/web/<model>/name_search")
@login_required
def name_search(model: str) -> Any:
    """``[[id, name], …]`` for search-as-you-type inputs."""
    svc = service(model)
    try:
        limit = min(int(request.args.get("limit", 8)), 50)
    except ValueError:
        limit = 8
    return jsonify([list(pair) for pair in svc.name_search(request.args.get("q", ""),
                                                             limit=limit)])


def column_names(spec: ListView) -> list[str]:
    return [as_field(c).name for c in spec.columns]
