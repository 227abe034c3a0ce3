"""What addons contribute through ``register_analyses``: analyses (a pivot or chart of a model
with its default grouping and measures), KPI tiles, short lists, and dashboards per post that
gather them. Items naming a model that is not installed are left out, so an analysis of
``sale.order`` costs nothing until sales is installed."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from core.errors import AddonError
from core.i18n import _

if TYPE_CHECKING:
    from core.registry import Registry

__all__ = ["Analysis", "Tile", "ShortList", "Dashboard", "post_dashboard", "Catalog",
           "catalog_of"]


@dataclasses.dataclass(frozen=True)
class Analysis:
    """A named pivot or chart of ``model``: opens ``/web/<model>/<kind>`` with its keys.

    :param rows, cols, measures: as the pivot's address (``date_order:month``, ``amount:sum``)
    :param domain: the records analysed (a list domain)
    :param date_field, period, compare: the period picker's defaults
    :param chart: for ``kind="graph"``: bar, stacked, line, pie
    :param groups: shown to members of one of these groups (all readers when empty)
    """

    id: str
    name: Any
    model: str
    rows: tuple[str, ...] = ()
    cols: tuple[str, ...] = ()
    measures: tuple[str, ...] = ("__count",)
    domain: tuple[Any, ...] = ()
    date_field: str = ""
    period: str = ""
    compare: str = ""
    kind: str = "pivot"
    chart: str = "bar"
    groups: tuple[str, ...] = ()

    def args(self) -> dict[str, Any]:
        """The address keys that open it."""
        args: dict[str, Any] = {"row": list(self.rows), "col": list(self.cols),
                                "measure": list(self.measures), "date_field": self.date_field,
                                "period": self.period, "compare": self.compare}
        if self.kind == "graph":
            args["chart"] = self.chart
        if self.domain:
            args["domain"] = json.dumps(list(self.domain))
        return {k: v for k, v in args.items() if v}


@dataclasses.dataclass(frozen=True)
class Tile:
    """A KPI tile: one measure of ``model`` over the current period (``month``, ``quarter``,
    ``year`` by ``date_field``), its change against the period before and a sparkline of the
    last six; a click opens ``analysis`` (an :class:`Analysis` id) for that period."""

    id: str
    name: Any
    model: str
    measure: str = "__count"
    domain: tuple[Any, ...] = ()
    date_field: str = ""
    granularity: str = "month"
    analysis: str = ""
    groups: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class ShortList:
    """A few records of ``model`` (``limit``), e.g. "Overdue collections"; ``domain`` may be a
    function of today's date."""

    id: str
    name: Any
    model: str
    fields: tuple[str, ...]
    domain: tuple[Any, ...] | Callable[[Any], list[Any]] = ()
    order: str | None = None
    limit: int = 5
    groups: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Dashboard:
    """A post's dashboard: tiles, charts (graph analyses) and short lists, by id, in order.

    Addons may name items of other addons; items not installed are skipped. Two addons
    declaring the same dashboard id add their items to it (in dependency order)."""

    id: str
    name: Any
    groups: tuple[str, ...] = ()
    tiles: tuple[str, ...] = ()
    charts: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    sequence: int = 10


def post_dashboard(id: str, name: Any, model: str, *, date_field: str,
                   domain: tuple[Any, ...], tiles: Sequence[tuple[str, Any, str, str]],
                   charts: tuple[str, ...] = (), lists: Sequence[ShortList] = ()) -> list[Any]:
    """A post's dashboard over one kind of document (``model``) and what it shows: ``tiles``
    as ``(id, name, measure, analysis)``, each a measure of ``model`` over the current period by
    ``date_field`` within ``domain``; the chart analyses ``charts`` (declared apart); the short
    lists ``lists``."""
    made = [Tile(tile, label, model, measure=measure, date_field=date_field, domain=domain,
                 analysis=analysis) for tile, label, measure, analysis in tiles]
    return [*made, *lists, Dashboard(id, name, tiles=tuple(t.id for t in made), charts=charts,
                                     lists=tuple(short.id for short in lists))]


class Catalog:
    """The analyses, tiles, short lists and dashboards of one registry."""

    def __init__(self, registry: Registry) -> None:
        self.analyses: dict[str, Analysis] = {}
        self.tiles: dict[str, Tile] = {}
        self.lists: dict[str, ShortList] = {}
        self.dashboards: dict[str, Dashboard] = {}
        tables = {Analysis: self.analyses, Tile: self.tiles, ShortList: self.lists}
        try:
            answers = registry.call("register_analyses")
        except AttributeError:  # analytics is not installed: no hook, nothing to show
            answers = []
        for addon, items in answers:
            for item in items:
                if isinstance(item, Dashboard):
                    self._add_dashboard(item)
                    continue
                table = tables.get(type(item))
                if table is None:
                    raise AddonError(_("%(addon)s contributes an unknown analysis item.",
                                       addon=addon))
                if item.id in table:
                    raise AddonError(_("The analysis item %(id)s is declared twice (%(addon)s).",
                                       id=item.id, addon=addon))
                if _present(registry, item):
                    table[item.id] = item

    def _add_dashboard(self, board: Dashboard) -> None:
        old = self.dashboards.get(board.id)
        if old is not None:
            board = dataclasses.replace(old, tiles=old.tiles + board.tiles,
                                        charts=old.charts + board.charts,
                                        lists=old.lists + board.lists)
        self.dashboards[board.id] = board


def _present(registry: Registry, item: Any) -> bool:
    """Whether the model and every field the item names are installed (the CRM's fields of
    ``res.partner`` come with the CRM, the model with the core)."""
    if item.model not in registry:
        return False
    names = [getattr(item, "date_field", "")]
    for attr in ("rows", "cols", "measures", "fields"):
        names += [spec.partition(":")[0] for spec in getattr(item, attr, ())]
    if isinstance(item, Tile):
        names.append(item.measure.partition(":")[0])
    fields = registry[item.model].__fields__
    return all(n in fields for n in names if n and n != "__count")


def catalog_of(registry: Registry) -> Catalog:
    """The composed catalog of ``registry``, built once per registry object."""
    return registry.derived(Catalog, lambda: Catalog(registry))
