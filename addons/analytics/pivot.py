"""Pivot tables: rows × columns of groups (several levels each) with measures and totals.

One ``read_group(lazy=False)`` query through the model service groups by every row and column
level at once (access rights, record rules and field groups apply: it is the service's own
``read_group``); the subtotals of each level and the grand total are then summed from those
groups in Python (never from rows: an average is carried as its sum and count). A comparison
period is a second such query, its groups laid over the same headers.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from core.errors import ValidationError
from core.i18n import _, _l
from core.readgroup import GRANULARITY, group_leaf

__all__ = ["Measure", "Header", "Pivot", "parse_measures", "parse_groupbys", "compute",
           "FUNCTIONS", "MAX_GROUPS"]

FUNCTIONS = {"sum": _l("Sum"), "avg": _l("Average"), "min": _l("Minimum"), "max": _l("Maximum"),
             "count": _l("Count")}
NUMERIC = ("integer", "decimal", "monetary")
GROUPABLE = ("selection", "many2one", "date", "datetime", "char", "boolean", "integer")
#: the most groups one pivot reads (a finer grouping is refused with a clear message)
MAX_GROUPS = 20000


@dataclasses.dataclass(frozen=True)
class Measure:
    """``amount_total:sum`` (or ``__count``): a field and an aggregate function."""

    field: str
    function: str
    label: str

    @property
    def spec(self) -> str:
        return "__count" if self.field == "__count" else f"{self.field}:{self.function}"


@dataclasses.dataclass
class Header:
    """A row or column header: its key (the values of its levels), label and depth."""

    key: tuple[Any, ...]
    label: str
    depth: int
    children: list[Header] = dataclasses.field(default_factory=list)
    #: a group whose children are hidden (collapsed): it shows as one column, its subtotal
    folded: bool = False

    @property
    def path(self) -> str:
        """The key as the address writes it (``fold=``): the values joined by ``/``."""
        return "/".join(str(k) for k in self.key)


@dataclasses.dataclass
class Pivot:
    """A computed pivot table."""

    rows: list[str]
    cols: list[str]
    measures: list[Measure]
    row_tree: Header
    col_tree: Header
    values: dict[tuple[tuple[Any, ...], tuple[Any, ...]], list[Any]]
    previous: dict[tuple[tuple[Any, ...], tuple[Any, ...]], list[Any]] | None
    leaves: list[dict[Any, list[Any]]]  # per level of rows + cols: {key: domain leaf}

    def value(self, row: tuple[Any, ...], col: tuple[Any, ...], previous: bool = False
              ) -> list[Any]:
        table = self.previous if previous else self.values
        return (table or {}).get((row, col)) or [None] * len(self.measures)

    def row_headers(self) -> list[Header]:
        """Every row header, the grand total first, each group followed by its children."""
        return list(_walk(self.row_tree, children_first=False))

    def col_headers(self) -> list[Header]:
        """Every column header, each group after its children, the grand total last."""
        return list(_walk(self.col_tree, children_first=True))

    def domain(self, row: tuple[Any, ...], col: tuple[Any, ...]) -> list[Any]:
        """The domain leaves selecting the records of a cell (without the pivot's domain)."""
        leaves: list[Any] = []
        for level, value in enumerate(row):
            leaves += self.leaves[level][value]
        for level, value in enumerate(col):
            leaves += self.leaves[len(self.rows) + level][value]
        return leaves


def fold_columns(pivot: Pivot, paths: Any) -> None:
    """Collapse the column groups whose path is in ``paths``: each shows as one column (its
    subtotal), as a collapsed row group does."""
    wanted = set(paths)
    if not wanted:
        return

    def visit(node: Header) -> None:
        if node.depth and node.children and node.path in wanted:
            node.children, node.folded = [], True
        for child in node.children:
            visit(child)
    visit(pivot.col_tree)


def column_grid(pivot: Pivot, per_column: int = 1) -> list[list[tuple[str, int, int, Any]]]:
    """The column header rows as ``(label, colspan, rowspan, header)`` cells (an HTML table's
    or a sheet's merged cells): a group spans its children and its own subtotal column;
    ``header`` is the group's :class:`Header` where it may collapse or expand, else None."""
    depth = max(len(pivot.cols), 1)
    grid: list[list[tuple[str, int, int]]] = [[] for _level in range(depth)]
    total = str(_("Total"))

    def span(node: Header) -> int:
        return sum(span(c) for c in node.children) + 1 if node.children else 1

    def place(node: Header) -> None:
        if node.depth:
            rowspan = 1 if node.children else depth - node.depth + 1
            toggle = node if node.children or node.folded else None
            grid[node.depth - 1].append((node.label, span(node) * per_column, rowspan, toggle))
        for child in node.children:
            place(child)
        if node.children and node.depth:
            grid[node.depth].append((total, per_column, depth - node.depth, None))
    place(pivot.col_tree)
    grid[0].append((total, per_column, depth, None))
    return grid


def _walk(node: Header, children_first: bool) -> Any:
    if not children_first:
        yield node
    for child in node.children:
        yield from _walk(child, children_first)
    if children_first:
        yield node


def parse_groupbys(svc: Any, specs: list[str]) -> list[str]:
    """The valid, distinct grouping specs (``partner_id``, ``date_order:month``); a field the
    user may not read or cannot group by is refused (the service checks field groups)."""
    out: list[str] = []
    for spec in specs:
        name, _sep, granularity = spec.partition(":")
        info = svc.fields.get(name)
        if info is None or not info.stored or info.type not in GROUPABLE:
            raise ValidationError(_("Cannot group %(model)s by %(field)s.", model=svc._name,
                                    field=spec))
        if info.type in ("date", "datetime"):
            granularity = granularity or "month"
            if granularity not in GRANULARITY:
                raise ValidationError(_("Cannot group %(field)s by %(granularity)s.",
                                        field=name, granularity=granularity))
            spec = f"{name}:{granularity}"
        elif granularity:
            raise ValidationError(_("Cannot group %(field)s by %(granularity)s.", field=name,
                                    granularity=granularity))
        if all(o.partition(":")[0] != name for o in out):
            out.append(spec)
    return out


def parse_measures(svc: Any, specs: list[str]) -> list[Measure]:
    """``__count`` or ``field:function`` of a stored numeric field (sum by default)."""
    measures = []
    for spec in specs or ["__count"]:
        if spec == "__count":
            measures.append(Measure("__count", "count", str(_("Count"))))
            continue
        name, _sep, function = spec.partition(":")
        function = function or "sum"
        info = svc.fields.get(name)
        if (info is None or not info.stored or info.type not in NUMERIC
                or function not in FUNCTIONS):
            raise ValidationError(_("Cannot aggregate %(field)s with %(function)s.",
                                    field=name, function=function))
        label = info.label if function == "sum" else f"{info.label} ({FUNCTIONS[function]})"
        measures.append(Measure(name, function, str(label)))
    return list(dict.fromkeys(measures))


def aggregates(measures: list[Measure]) -> list[str]:
    """The ``read_group`` aggregates the measures need (an average: its sum and count)."""
    fields = []
    for index, m in enumerate(measures):
        if m.field == "__count":
            continue
        if m.function == "avg":
            fields += [f"v{index}s:sum({m.field})", f"v{index}n:count({m.field})"]
        else:
            fields.append(f"v{index}:{m.function}({m.field})")
    return fields


def _number(value: Any) -> Any:
    if value is None or isinstance(value, (int, Decimal)):
        return value
    return Decimal(str(value))  # SQLite answers sums of numerics as floats


def fold(measures: list[Measure], state: list[Any], group: dict[str, Any]) -> None:
    """Add one group's aggregates into a cell's running state."""
    for index, m in enumerate(measures):
        if m.field == "__count":
            state[index] = (state[index] or 0) + group["__count"]
            continue
        if m.function == "avg":
            total, count = _number(group[f"v{index}s"]), group[f"v{index}n"] or 0
            old = state[index] or (Decimal(0), 0)
            state[index] = (old[0] + (total or 0), old[1] + count)
            continue
        value = _number(group[f"v{index}"])
        if value is None:
            continue
        old = state[index]
        if old is None:
            state[index] = value
        elif m.function in ("sum", "count"):
            state[index] = old + value
        elif m.function == "min":
            state[index] = min(old, value)
        else:
            state[index] = max(old, value)


def finish(measures: list[Measure], state: list[Any]) -> list[Any]:
    out = []
    for m, value in zip(measures, state, strict=True):
        if m.function == "avg" and m.field != "__count":
            out.append(value[0] / value[1] if value and value[1] else None)
        else:
            out.append(value)
    return out


def _key(value: Any) -> Any:
    """A group's key at one level: a many2one's id, else the value (None when empty)."""
    if isinstance(value, (list, tuple)):
        return value[0]
    return None if value is False else value


def _plan(measures: list[Measure]) -> list[tuple[str, str, str]]:
    """Per measure: how it folds and the ``read_group`` aliases it reads."""
    plan = []
    for index, m in enumerate(measures):
        if m.field == "__count":
            plan.append(("count", "__count", ""))
        elif m.function == "avg":
            plan.append(("avg", f"v{index}s", f"v{index}n"))
        else:
            plan.append((m.function, f"v{index}", ""))
    return plan


def _accumulate(groups: list[dict[str, Any]], specs: list[str], n_rows: int,
                measures: list[Measure]) -> dict[tuple[Any, ...], list[Any]]:
    """Every (row prefix, column prefix) cell's figures: the finest cells are the groups; each
    coarser level is summed from the level below it (columns first, then rows), so a subtotal
    adds up its few sub-cells rather than every group again."""
    plan = _plan(measures)
    kinds = [kind for kind, _first, _second in plan]
    additive = [kind in ("sum", "count") for kind in kinds]
    indexes = range(len(plan))
    n_cols = len(specs) - n_rows

    def add(cells: dict[Any, list[Any]], cell: Any, values: list[Any]) -> None:
        state = cells.get(cell)
        if state is None:
            cells[cell] = list(values)
            return
        for k in indexes:
            value, old = values[k], state[k]
            if value is None:
                continue
            if old is None:
                state[k] = value
            elif additive[k]:
                state[k] = old + value
            elif kinds[k] == "avg":
                state[k] = (old[0] + value[0], old[1] + value[1])
            elif (value < old) if kinds[k] == "min" else (value > old):
                state[k] = value

    cells: dict[Any, list[Any]] = {}
    for group in groups:
        keys = tuple(_key(group[s]) for s in specs)
        values: list[Any] = []
        for kind, first, second in plan:
            if kind == "count":
                values.append(group[first])
            elif kind == "avg":
                values.append((_number(group[first]) or 0, group[second] or 0))
            else:
                values.append(_number(group[first]))
        add(cells, (keys[:n_rows], keys[n_rows:]), values)
    for size in range(n_cols, 0, -1):  # column subtotals of the full rows
        for (row, col), values in [(c, v) for c, v in cells.items() if len(c[1]) == size]:
            add(cells, (row, col[:-1]), values)
    for size in range(n_rows, 0, -1):  # then row subtotals of every column
        for (row, col), values in [(c, v) for c, v in cells.items() if len(c[0]) == size]:
            add(cells, (row[:-1], col), values)
    for state in cells.values():
        for k in indexes:
            if kinds[k] == "avg":
                total, count = state[k]
                state[k] = total / count if count else None
    return cells


def _plain_label(_spec: str, value: Any) -> str:
    return str(value[1]) if isinstance(value, (list, tuple)) else str(value)


def _sort_key(key: Any) -> tuple[Any, ...]:
    return (key is None, "" if key is None else key)


def _tree(keys: set[tuple[Any, ...]], depth: int, labels: list[dict[Any, str]],
          total: str) -> Header:
    """The header tree of ``keys`` (every prefix of a key is a key too), children sorted by
    value, empty values last: each key read once, each level's values sorted apart."""
    children: dict[tuple[Any, ...], list[Any]] = {}
    for key in keys:
        if 0 < len(key) <= depth:
            children.setdefault(key[:-1], []).append(key[-1])

    def build(node: Header) -> Header:
        values = children.get(node.key)
        if values:
            level = labels[len(node.key)]
            values.sort(key=_sort_key)
            node.children = [build(Header((*node.key, v), level.get(v, ""), node.depth + 1))
                             for v in values]
        return node
    return build(Header((), total, 0))


def compute(svc: Any, domain: list[Any], rows: list[str], cols: list[str],
            measures: list[Measure], compare_domain: list[Any] | None = None,
            labeller: Any = None) -> Pivot:
    """The pivot of ``svc``'s records matching ``domain``; ``compare_domain`` adds the
    figures of another period. ``labeller(spec, value)`` words a group value."""
    specs = rows + cols
    if not specs:
        raise ValidationError(_("Choose at least one grouping."))
    fields = aggregates(measures)

    def groups_of(where: list[Any]) -> list[dict[str, Any]]:
        found = svc.read_group(where, fields, specs, lazy=False, limit=MAX_GROUPS + 1)
        if len(found) > MAX_GROUPS:
            raise ValidationError(_("This grouping makes more than %(max)s groups: choose "
                                    "fewer or coarser levels.", max=MAX_GROUPS))
        return found

    current = groups_of(domain)
    previous = groups_of(compare_domain) if compare_domain is not None else None
    labels: list[dict[Any, str]] = [{} for _s in specs]
    leaves: list[dict[Any, list[Any]]] = [{} for _s in specs]
    for group in current + (previous or []):
        for level, spec in enumerate(specs):
            raw = group[spec]
            key = _key(raw)
            if key not in leaves[level]:
                name, _sep, granularity = spec.partition(":")
                leaves[level][key] = group_leaf(name, granularity or None, key)
                labels[level][key] = (labeller or _plain_label)(spec, raw)
    values = _accumulate(current, specs, len(rows), measures)
    before = _accumulate(previous, specs, len(rows), measures) if previous is not None else None
    cells = set(values) | set(before or {})
    total = str(_("Total"))
    row_tree = _tree({r for r, _c in cells}, len(rows), labels[:len(rows)], total)
    col_tree = _tree({c for _r, c in cells}, len(cols), labels[len(rows):], total)
    return Pivot(rows, cols, measures, row_tree, col_tree, values, before, leaves)
