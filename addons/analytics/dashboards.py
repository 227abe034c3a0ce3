"""Dashboards per post: KPI tiles (value, change against the period before, a sparkline of the
last six periods: one grouped query per tile), charts of graph analyses, short lists and the
user's pinned saved views. Everything is read with the user's rights: a tile of a model the user
may not read is left out, and record rules decide the figures."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from flask import abort, g, render_template, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from core.errors import AccessError
from core.i18n import _
from core.web.cells import formatter

from . import web
from .declare import Analysis, Dashboard, Tile, catalog_of
from .periods import add_months
from .pivot import aggregates, finish, fold, parse_measures

__all__ = ["dashboards_for", "tile_figures", "dashboard_view"]

SPARK_POINTS = 6
_STEP = {"month": 1, "quarter": 3, "year": 12}


def _allowed(env: Any, groups: tuple[str, ...]) -> bool:
    return not groups or any(env.access.has_group(group) for group in groups)


def dashboards_for(env: Any) -> list[Dashboard]:
    """The dashboards of the user's posts that show something installed, in order."""
    catalog = catalog_of(env.registry)

    def installed(board: Dashboard) -> bool:
        return any(t in catalog.tiles for t in board.tiles) or any(
            c in catalog.analyses for c in board.charts) or any(
            x in catalog.lists for x in board.lists)

    return sorted((b for b in catalog.dashboards.values()
                   if _allowed(env, b.groups) and installed(b)), key=lambda b: b.sequence)


def _start(day: dt.date, granularity: str) -> dt.date:
    month = day.replace(day=1)
    if granularity == "year":
        return month.replace(month=1)
    if granularity == "quarter":
        return add_months(month, -((day.month - 1) % 3))
    return month


def _bucket(day: dt.date, granularity: str) -> str:
    if granularity == "year":
        return f"{day.year}"
    if granularity == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def tile_figures(env: Any, tile: Tile, today: dt.date) -> dict[str, Any] | None:
    """A tile's value, previous value and sparkline (None when the user may not read it)."""
    if tile.model not in env.registry or not env.access.allowed(tile.model, "read"):
        return None
    svc = env[tile.model]
    measure = parse_measures(svc, [tile.measure])[0]
    fields = aggregates([measure])
    domain = list(tile.domain)
    if not tile.date_field:
        try:
            group = svc.read_group(domain, fields, [], lazy=False)[0]
        except AccessError:
            return None
        state: list[Any] = [None]
        fold([measure], state, group)
        return {"value": finish([measure], state)[0], "previous": None, "spark": [],
                "measure": measure, "start": None, "end": None}
    step = _STEP[tile.granularity]
    current = _start(today, tile.granularity)
    first = add_months(current, -step * (SPARK_POINTS - 1))
    end = add_months(current, step)
    try:
        groups = svc.read_group(
            [*domain, (tile.date_field, ">=", first.isoformat()),
             (tile.date_field, "<", end.isoformat())],
            fields, [f"{tile.date_field}:{tile.granularity}"], lazy=False)
    except AccessError:
        return None
    by_key = {}
    for group in groups:
        state = [None]
        fold([measure], state, group)
        by_key[group[f"{tile.date_field}:{tile.granularity}"]] = finish([measure], state)[0]
    keys = [_bucket(add_months(first, step * i), tile.granularity) for i in range(SPARK_POINTS)]
    spark = [by_key.get(k) or 0 for k in keys]
    return {"value": spark[-1], "previous": spark[-2], "spark": spark, "measure": measure,
            "start": current, "end": end}


def sparkline(values: list[Any], width: int = 120, height: int = 28) -> Markup:
    """A small inline SVG polyline of ``values`` (no script needed)."""
    if len(values) < 2:
        return Markup("")
    numbers = [float(v or 0) for v in values]
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0
    step = width / (len(numbers) - 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
                      for i, v in enumerate(numbers))
    return Markup('<svg class="sparkline" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
                  'aria-hidden="true"><polyline fill="none" stroke="currentColor" '
                  'stroke-width="1.5" points="{p}"/></svg>').format(w=width, h=height, p=points)


def analysis_url(analysis: Analysis, **extra: Any) -> str:
    args = {**analysis.args(), **extra}
    return url_for("pages.serve_kind", model=analysis.model, kind=analysis.kind, **args)


def _tile(env: Any, tile: Tile, today: dt.date) -> dict[str, Any] | None:
    if not _allowed(env, tile.groups):
        return None
    figures = tile_figures(env, tile, today)
    if figures is None:
        return None
    measure = figures["measure"]
    info = None if measure.field == "__count" else env[tile.model].fields[measure.field]
    fmt = formatter(info)
    analysis = catalog_of(env.registry).analyses.get(tile.analysis)
    url = None
    if analysis is not None and env.access.allowed(analysis.model, "read"):
        extra = {}
        if figures["start"] and analysis.date_field == tile.date_field:
            extra = {"period": "custom", "date_from": figures["start"].isoformat(),
                     "date_to": (figures["end"] - dt.timedelta(days=1)).isoformat()}
        url = analysis_url(analysis, **extra)
    value = figures["value"] if figures["value"] is not None else 0
    if info is not None and info.type in ("decimal", "monetary"):
        value = Decimal(value)  # a month without records: 0.00 as the other months, not 0
    return {"tile": tile, "value": fmt(value),
            "change": web.change(figures["value"], figures["previous"]),
            "spark": sparkline(figures["spark"]), "url": url}


def _chart(env: Any, analysis: Analysis) -> dict[str, Any] | None:
    if not _allowed(env, analysis.groups) or not env.access.allowed(analysis.model, "read"):
        return None
    svc = env[analysis.model]
    try:
        view = web.read_analysis(svc, MultiDict(list(_pairs(analysis.args()))))
        view.rows, view.cols = view.rows[:1], view.cols[:1]
        view.compare, view.compare_domain = "", None
        data = web.graph_data(svc, view, web.run(svc, view))
    except AccessError:
        return None
    return {"analysis": analysis, "data": data, "url": analysis_url(analysis)}


def _pairs(args: dict[str, Any]) -> Any:
    for key, value in args.items():
        for item in value if isinstance(value, list) else [value]:
            yield key, item


def _short_list(env: Any, item: Any, today: dt.date) -> dict[str, Any] | None:
    if not _allowed(env, item.groups) or not env.access.allowed(item.model, "read"):
        return None
    svc = env[item.model]
    fields = [f for f in item.fields if f in svc.fields and env.access.field_allowed(
        svc.fields[f])]
    domain = item.domain(today) if callable(item.domain) else list(item.domain)
    rows = svc.search_read(domain, fields, limit=item.limit, order=item.order)
    formats = [formatter(svc.fields[f]) for f in fields]
    return {"item": item, "labels": [svc.fields[f].label for f in fields],
            "rows": [(url_for("web.form_view", model=item.model, record_id=row["id"]),
                      [escape(fmt(row.get(f))) for fmt, f in zip(formats, fields, strict=True)])
                     for row in rows],
            "more": url_for("web.list_view", model=item.model,
                            domain=json.dumps(domain))}


def _pinned(env: Any) -> list[dict[str, Any]]:
    from .filters import view_url

    views = env["ir.filters"].search_read([("pinned", "=", True), ("user_id", "=", env.uid)],
                                          ["name", "model_id", "domain", "context"])
    return [{"name": v["name"], "url": view_url(v)} for v in views if v["model_id"]
            in env.registry]


def dashboard_view(board_id: str = "") -> Any:
    """``/web/page/analytics/dashboard[/<id>]``: the user's dashboard (the first of their
    posts' unless one is named), with tabs to the others they may open."""
    env = g.env
    boards = dashboards_for(env)
    if board_id:
        board = next((b for b in boards if b.id == board_id), None)
        if board is None:
            abort(404 if board_id not in catalog_of(env.registry).dashboards else 403)
    else:
        board = boards[0] if boards else None
    today = web.today()
    catalog = catalog_of(env.registry)
    tiles, charts, lists = [], [], []
    if board is not None:
        tiles = [t for t in (_tile(env, catalog.tiles[i], today) for i in dict.fromkeys(
            board.tiles) if i in catalog.tiles) if t]
        charts = [c for c in (_chart(env, catalog.analyses[i]) for i in dict.fromkeys(
            board.charts) if i in catalog.analyses) if c]
        lists = [x for x in (_short_list(env, catalog.lists[i], today) for i in dict.fromkeys(
            board.lists) if i in catalog.lists) if x]
    analyses = [(a, analysis_url(a)) for a in catalog.analyses.values()
                if _allowed(env, a.groups) and env.access.allowed(a.model, "read")]
    return render_template("analytics/dashboard.html", board=board, boards=boards,
                           tiles=tiles, charts=charts, lists=lists, pinned=_pinned(env),
                           analyses=analyses, title=board.name if board else _("Dashboard"))
