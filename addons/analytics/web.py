"""The pivot and graph pages of every model (``/web/<model>/pivot``, ``/web/<model>/graph``),
their XLSX export, and the addon's static files (ECharts, the page script).

The address carries what the list carried (``q``, ``filter``, ``domain``, ``groupby``) and the
analysis: ``row`` and ``col`` (grouping levels, ``date_order:month``), ``measure``
(``amount_total:sum``, ``__count``), ``date_field`` with ``period`` (and ``date_from``/``date_to``)
and ``compare``, and for graphs ``chart``. Everything is read through ``g.env[model]``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from core.domain import AND
from core.errors import KangyiError
from core.i18n import _, _l
from core.web.cells import formatter
from core.web.common import model_label, readable, request_domain, service
from core.web.lists import args_domain

from .periods import COMPARISONS, PERIODS, compared_range, period_range, range_domain
from .pivot import (
    FUNCTIONS,
    GROUPABLE,
    NUMERIC,
    Pivot,
    column_grid,
    compute,
    fold_columns,
    parse_groupbys,
    parse_measures,
)

STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"echarts.min.js": "text/javascript", "analytics.js": "text/javascript",
                "analytics.css": "text/css",
                "echarts.LICENSE.txt": "text/plain", "echarts.NOTICE.txt": "text/plain"}
CHARTS = {"bar": _l("Bar"), "stacked": _l("Stacked bar"), "line": _l("Line chart"),
          "pie": _l("Pie")}
GRANULARITY_LABELS = {"day": _l("by day"), "week": _l("by week"), "month": _l("by month"),
                      "quarter": _l("by quarter"), "year": _l("by year")}
#: the address keys an analysis keeps when switching between list, pivot and graph
CARRIED = ("q", "filter", "domain", "row", "col", "measure", "date_field", "period",
           "date_from", "date_to", "compare", "chart")


def static_file(name: str) -> Any:
    """The addon's static files (served to logged-in users: no public CDN is ever asked)."""
    if name not in STATIC_FILES:
        abort(404)
    response = send_file(STATIC / name, mimetype=STATIC_FILES[name], max_age=86400)
    return response


@dataclasses.dataclass
class AnalysisView:
    """An analysis as the address asks for it, validated against the model and the user."""

    model: str
    domain: list[Any]
    rows: list[str]
    cols: list[str]
    measures: list[Any]
    date_field: str
    period: str
    date_from: str
    date_to: str
    compare: str
    chart: str
    period_domain: list[Any]
    compare_domain: list[Any] | None
    #: the list's search it came with: ``q``, ``filter``, ``domain`` as in the address
    search: dict[str, list[str]]

    def args(self, **changes: Any) -> dict[str, Any]:
        """The address keys of this analysis (for links that keep it)."""
        out: dict[str, Any] = dict(self.search)
        out.update(row=self.rows, col=self.cols, measure=[m.spec for m in self.measures],
                   date_field=self.date_field or None, period=self.period or None,
                   date_from=self.date_from or None, date_to=self.date_to or None,
                   compare=self.compare or None, chart=self.chart or None)
        out.update(changes)
        return {k: v for k, v in out.items() if v not in (None, [], "")}


def today() -> dt.date:
    return dt.date.today()


def date_fields(svc: Any, allowed: dict[str, Any]) -> list[tuple[str, str]]:
    return [(n, str(i.label)) for n, i in allowed.items()
            if i.type in ("date", "datetime") and i.stored]


def read_analysis(svc: Any, args: MultiDict[str, str], defaults: dict[str, Any] | None = None
                  ) -> AnalysisView:
    """The analysis of the address (``defaults``: a saved view's or an analysis' values for
    the keys the address leaves out)."""
    defaults = defaults or {}

    def many(key: str) -> list[str]:
        return [v for v in args.getlist(key) if v] or list(defaults.get(key) or [])

    def one(key: str) -> str:
        return args.get(key) or str(defaults.get(key) or "")

    allowed = readable(svc)
    domain = AND(args_domain(svc, args), list(defaults.get("domain") or []))
    rows = parse_groupbys(svc, many("row") or [v for v in args.getlist("groupby") if v]
                          or _default_row(svc, allowed))
    cols = parse_groupbys(svc, [c for c in many("col") if c.partition(":")[0] not in
                                {r.partition(":")[0] for r in rows}])
    measures = parse_measures(svc, many("measure") or _default_measures(svc, allowed))
    date_field, period = one("date_field"), one("period")
    compare, chart = one("compare"), one("chart") or "bar"
    if chart not in CHARTS:
        chart = "bar"
    period_dom: list[Any] = []
    compare_dom = None
    if date_field and period:
        if date_field not in dict(date_fields(svc, allowed)):
            raise KangyiError(_("Cannot filter %(model)s by %(field)s.", model=svc._name,
                                field=date_field))
        start, end = period_range(period, today(), one("date_from"), one("date_to"))
        period_dom = range_domain(date_field, start, end)
        if compare:
            compare_dom = AND(domain, range_domain(date_field, *compared_range(start, end,
                                                                                compare)))
    search = {k: args.getlist(k) for k in ("q", "filter", "domain", "menu", "fold")
              if args.get(k)}
    if defaults.get("domain") and "domain" not in search:
        search["domain"] = [json.dumps(list(defaults["domain"]))]
    return AnalysisView(svc._name, domain, rows, cols, measures, date_field, period,
                        one("date_from"), one("date_to"), compare if compare_dom else "", chart,
                        period_dom, compare_dom, search)


def _default_row(svc: Any, allowed: dict[str, Any]) -> list[str]:
    from core.web.common import view

    for name in view(svc._name, "list").group_by:
        if name in allowed and allowed[name].type in GROUPABLE and allowed[name].stored:
            return [name]
    for name, info in allowed.items():
        if info.type in ("selection", "many2one") and info.stored:
            return [name]
    return [next(n for n, i in allowed.items() if i.type in GROUPABLE and i.stored)]


def _default_measures(svc: Any, allowed: dict[str, Any]) -> list[str]:
    from core.web.common import view

    for column in view(svc._name, "list").columns:
        name = getattr(column, "name", column)
        info = allowed.get(name)
        if info is not None and info.stored and info.type in ("monetary", "decimal"):
            return ["__count", f"{name}:sum"]
    return ["__count"]


def labeller(svc: Any) -> Any:
    """``(spec, value) → label`` for group values (dates by their period, the rest as lists
    show them)."""
    formatters: dict[str, Any] = {}
    none = str(_("None"))

    def label(spec: str, value: Any) -> str:
        if value in (None, False) and not isinstance(value, int):
            return none
        name, _sep, granularity = spec.partition(":")
        if granularity:
            text = str(value)
            if granularity == "week":
                year, week, _day = dt.date.fromisoformat(text[:10]).isocalendar()
                return f"{year}-W{week:02d}"
            return text
        if name not in formatters:
            formatters[name] = formatter(svc.fields[name])
        return str(formatters[name](value))
    return label


def run(svc: Any, analysis: AnalysisView) -> Pivot:
    return compute(svc, AND(analysis.domain, analysis.period_domain), analysis.rows,
                   analysis.cols, analysis.measures, analysis.compare_domain, labeller(svc))


def drill_url(analysis: AnalysisView, pivot: Pivot, row: tuple[Any, ...], col: tuple[Any, ...]
              ) -> str:
    """The list of a cell's records: the analysis' search, its period and the cell's groups."""
    search = analysis.search
    extra = AND(request_domain(MultiDict([("domain", d) for d in search.get("domain", [])])),
                analysis.period_domain, pivot.domain(row, col))
    base = url_for("web.list_view", model=analysis.model,
                   **{k: v for k, v in search.items() if k != "domain"})
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'domain': json.dumps(extra)})}"


def measure_format(svc: Any, measure: Any) -> Any:
    if measure.field == "__count":
        return formatter(None)
    info = svc.fields[measure.field]
    if measure.function == "avg":
        fmt = formatter(info)
        return lambda v: fmt(v.quantize(Decimal("0.01")) if isinstance(v, Decimal) else v)
    return formatter(info)


def change(current: Any, previous: Any) -> str:
    """The change from ``previous`` to ``current`` in percent ("+12.5%"), "" when unknown."""
    if not previous or current is None:
        return ""
    return f"{(Decimal(current) - Decimal(previous)) * 100 / abs(Decimal(previous)):+.1f}%"


def options(svc: Any) -> dict[str, Any]:
    """The groupings and measures the page offers this user."""
    allowed = readable(svc)
    groupings = []
    for name, info in allowed.items():
        if not info.stored or info.type not in GROUPABLE or name == "id":
            continue
        if info.type in ("date", "datetime"):
            groupings += [(f"{name}:{g_}", f"{info.label}: {label}")
                          for g_, label in GRANULARITY_LABELS.items()]
        else:
            groupings.append((name, str(info.label)))
    measures = [("__count", str(_("Count")))]
    for name, info in allowed.items():
        if info.stored and info.type in NUMERIC and name != "id":
            measures += [(f"{name}:{fn}", f"{info.label} ({label})")
                         for fn, label in FUNCTIONS.items() if fn != "count"]
    return {"groupings": groupings, "measures": measures,
            "date_fields": date_fields(svc, allowed), "periods": PERIODS,
            "comparisons": COMPARISONS, "charts": CHARTS}


def table(svc: Any, analysis: AnalysisView, pivot: Pivot) -> dict[str, Any]:
    """The pivot as rows of formatted cells, each with its drill-down address."""
    formats = [measure_format(svc, m) for m in pivot.measures]
    compare = pivot.previous is not None
    columns = pivot.col_headers()
    body = []
    for index, header in enumerate(pivot.row_headers()):
        cells = []
        for col in columns:
            url = drill_url(analysis, pivot, header.key, col.key)
            values = pivot.value(header.key, col.key)
            before = pivot.value(header.key, col.key, previous=True) if compare else None
            for m, fmt in enumerate(formats):
                cells.append((fmt(values[m]) if values[m] is not None else "", url, ""))
                if before is not None:
                    cells.append((fmt(before[m]) if before[m] is not None else "", "", "prev"))
                    cells.append((change(values[m], before[m]), "", "change"))
        body.append({"index": index, "header": header, "cells": cells,
                     "path": "/".join(str(k) for k in header.key)})
    per_column = len(pivot.measures) * (3 if compare else 1)
    folded = analysis.search.get("fold", [])

    def toggle(header: Any) -> dict[str, Any]:
        """The address that collapses (or expands) a column group, keeping the rest."""
        paths = [p for p in folded if p != header.path] if header.folded else [
            *folded, header.path]
        return analysis.args(fold=paths)

    grid = [[(label, colspan, rowspan, header, toggle(header) if header else None)
             for label, colspan, rowspan, header in cells]
            for cells in column_grid(pivot, per_column)]
    return {"grid": grid, "body": body, "columns": columns,
            "compare": compare, "depth": max(len(pivot.cols), 1)}


def _analysis(svc: Any) -> AnalysisView:
    """The address' analysis, or the user's default view when the address names none."""
    from .filters import default_args

    defaults = None
    if not any(k in request.args for k in (*CARRIED[3:], "groupby")):
        defaults = default_args(svc.env, svc._name)
    return read_analysis(svc, request.args, defaults)


def pivot_view(model: str) -> Any:
    svc = service(model)
    analysis = _analysis(svc)
    pivot = run(svc, analysis)
    fold_columns(pivot, analysis.search.get("fold", ()))
    if request.args.get("export") == "xlsx":
        from .xlsx import pivot_xlsx

        data = pivot_xlsx(svc, pivot, f"{model_label(svc)}")
        return Response(data, mimetype="application/vnd.openxmlformats-officedocument."
                                       "spreadsheetml.sheet",
                        headers={"Content-Disposition":
                                 f"attachment; filename={model.replace('.', '_')}_pivot.xlsx"})
    return render_template("analytics/pivot.html", model=model, title=model_label(svc),
                           analysis=analysis, pivot=pivot, table=table(svc, analysis, pivot),
                           options=options(svc), kind="pivot", **_shared(svc, analysis))


def graph_data(svc: Any, analysis: AnalysisView, pivot: Pivot) -> dict[str, Any]:
    """The chart's categories (first row level), series (first column level, else the
    measure) and each point's drill-down address; values as numbers for the chart only."""
    rows = pivot.row_tree.children
    cols = pivot.col_tree.children or [pivot.col_tree]
    measure = pivot.measures[0]
    series = []
    for col in cols:
        points = []
        for row in rows:
            value = pivot.value(row.key, col.key)[0]
            points.append({"value": float(value) if value is not None else 0,
                           "url": drill_url(analysis, pivot, row.key, col.key)})
        series.append({"name": col.label if col.key else measure.label, "points": points})
    return {"categories": [r.label for r in rows], "series": series, "chart": analysis.chart,
            "measure": measure.label}


def graph_view(model: str) -> Any:
    svc = service(model)
    analysis = _analysis(svc)
    analysis.rows = analysis.rows[:1]
    analysis.cols = analysis.cols[:1]
    analysis.compare, analysis.compare_domain = "", None
    pivot = run(svc, analysis)
    return render_template("analytics/graph.html", model=model, title=model_label(svc),
                           analysis=analysis, data=graph_data(svc, analysis, pivot),
                           options=options(svc), kind="graph", **_shared(svc, analysis))


def _shared(svc: Any, analysis: AnalysisView) -> dict[str, Any]:
    """What both pages show: the switch back to the list (with its search and first
    grouping), to the other view, and the saved views."""
    from core.web.common import view

    list_args: dict[str, Any] = dict(analysis.search)
    offered = view(svc._name, "list").group_by  # the row levels a list groups by too
    list_args["groupby"] = [name for name in (r.partition(":")[0] for r in analysis.rows)
                            if name in offered]
    from .filters import saved_views

    return {"list_url": url_for("web.list_view", model=svc._name, **list_args),
            "pivot_url": url_for("pages.serve_kind", model=svc._name, kind="pivot",
                                 **analysis.args()),
            "graph_url": url_for("pages.serve_kind", model=svc._name, kind="graph",
                                 **analysis.args()),
            "saved": saved_views(svc, analysis)}
