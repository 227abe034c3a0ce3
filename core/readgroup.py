"""``read_group``: grouped aggregates in one SQL ``GROUP BY`` query, in Odoo's result shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Integer, String, cast, func, literal_column, select

from .errors import ValidationError
from .i18n import _
from .translate import catalog, translate

if TYPE_CHECKING:
    from .service import ModelService

__all__ = ["read_group", "date_bucket", "group_leaf", "period_range", "GRANULARITY"]

_AGGREGATES = {
    "sum": func.sum,
    "avg": func.avg,
    "min": func.min,
    "max": func.max,
    "count": func.count,
    "count_distinct": lambda c: func.count(c.distinct()),
}
GRANULARITY = ("day", "week", "month", "quarter", "year")
_NUMERIC = ("integer", "decimal", "monetary")


def date_bucket(column: Any, granularity: str, dialect: str) -> Any:
    """A sortable key for the period of ``column``: ``2026-11-26``, ``2026-11``, ``2026-Q4``;
    a week is keyed by its Monday (``2026-11-23``), the same on every database."""
    if granularity == "week":
        if dialect == "postgresql":
            return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")
        return func.date(column, "weekday 0", "-6 days")
    if dialect == "postgresql":
        formats = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "quarter": 'YYYY-"Q"Q', "year": "YYYY"}
        return func.to_char(column, formats[granularity])
    if granularity == "quarter":
        quarter = (cast(func.strftime("%m", column), Integer) + 2) // 3  # integer division
        return func.strftime("%Y-Q", column).concat(cast(quarter, String))
    formats = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
    return func.strftime(formats[granularity], column)


def _parse_groupby(service: ModelService, spec: str) -> tuple[str, str, str | None]:
    name, _sep, granularity = spec.partition(":")
    info = service.fields.get(name)
    if info is None or not info.stored:
        raise ValidationError(
            _("Cannot group %(model)s by %(field)s.", model=service._name, field=spec)
        )
    service.env.access.field_check("read")(service.cls, info)
    if granularity and (info.type not in ("date", "datetime") or granularity not in GRANULARITY):
        raise ValidationError(
            _("Cannot group %(field)s by %(granularity)s.", field=name, granularity=granularity)
        )
    if info.type in ("date", "datetime") and not granularity:
        granularity = "month"
    return spec if ":" in spec else name, name, granularity or None


def _parse_aggregate(service: ModelService, spec: str) -> tuple[str, Any] | None:
    """``amount_total`` or ``amount_total:sum`` or ``total:sum(amount_total)``."""
    alias, _sep, rest = spec.partition(":")
    function, field = (rest.split("(", 1) + [""])[:2] if "(" in rest else (rest, alias)
    field = field.rstrip(")") or alias
    info = service.fields.get(field)
    if info is None:
        raise ValidationError(
            _("Unknown field %(field)s on %(model)s.", field=field, model=service._name)
        )
    if function or "(" in rest:  # an aggregate asked for by name: refused, not dropped
        service.env.access.field_check("read")(service.cls, info)
    if not function:
        if info.type not in _NUMERIC:
            return None
        function = "sum"
    if function not in _AGGREGATES or not info.stored:
        raise ValidationError(
            _("Cannot aggregate %(field)s with %(function)s.", field=field, function=function)
        )
    if not service.env.access.field_allowed(info):
        return None
    return alias, _AGGREGATES[function](service.cls.__table__.c[field])


def read_group(
    service: ModelService,
    where: Any,
    domain: Sequence[Any] | None,
    fields: Sequence[str],
    groupby: str | Sequence[str],
    offset: int = 0,
    limit: int | None = None,
    orderby: str | None = None,
    lazy: bool = True,
) -> list[dict[str, Any]]:
    """Grouped aggregates; no ``groupby`` at all gives one group of totals (as Odoo)."""
    groupbys = ([groupby] if groupby else []) if isinstance(groupby, str) else list(groupby)
    if lazy:
        groupbys = groupbys[:1]
    table = service.cls.__table__
    dialect = service.env.session.get_bind().dialect.name
    keys, key_columns = [], []
    for spec in groupbys:
        key, name, granularity = _parse_groupby(service, spec)
        column = table.c[name]
        key_columns.append(date_bucket(column, granularity, dialect) if granularity else column)
        keys.append((key, name, granularity))
    aggregates = [agg for spec in fields if (agg := _parse_aggregate(service, spec))]
    aggregates = [(alias, expr) for alias, expr in aggregates if alias not in {k[0] for k in keys}]
    labelled = [col.label(f"g{i}") for i, col in enumerate(key_columns)]
    named = _name_columns(service, keys)
    query = _grouped_query(table, where, keys, labelled, aggregates, named, orderby, offset,
                           limit)
    # rows are read by position: a Row's attribute and mapping access cost microseconds each
    rows = service.env.session.execute(query).all()
    count_at = len(keys)
    name_at = {index: count_at + 1 + len(aggregates) + n for n, index in enumerate(named)}
    names = {}
    for index, (_key, name, granularity) in enumerate(keys):
        info = service.fields[name]
        if index in named:  # joined in: as display_names() words them
            at = name_at[index]
            comodel = service.env.registry[info.comodel or ""]
            messages = catalog(service.env.lang) if comodel.__fields__[
                comodel._rec_name].translate else None
            unnamed = service.env[info.comodel or ""]._unnamed
            names[name] = {row[index]: (str(translate(messages, row[at])) if row[at] is not None
                                        else unnamed(row[index]))
                           for row in rows if row[index]}
        elif info.type == "many2one" and not granularity:
            ids = {row[index] for row in rows if row[index]}
            names[name] = service.env[info.comodel or ""].sudo().display_names(ids)
    count_key = f"{keys[0][0]}_count" if lazy and keys else "__count"
    aggregate_at = [(alias, count_at + 1 + n) for n, (alias, _expr) in enumerate(aggregates)]
    # per group key, each value's result and domain leaf, made once however many groups share it
    cells = [(index, key, {}, names.get(name), name, granularity)
             for index, (key, name, granularity) in enumerate(keys)]
    base = list(domain or [])
    result = []
    for row in rows:
        group: dict[str, Any] = {count_key: row[count_at]}
        sub_domain = base[:]
        for index, key, seen, labels, name, granularity in cells:
            value = row[index]
            cell = seen.get(value)
            if cell is None:
                if labels is None:
                    shown = value if value is not None else False
                    if service.fields[name].translate:  # the group's label, not its key
                        shown = translate(catalog(service.env.lang), shown)
                else:
                    shown = (value, labels.get(value, "")) if value else False
                cell = seen[value] = (shown, group_leaf(name, granularity, value))
            group[key] = cell[0]
            sub_domain += cell[1]
        for alias, at in aggregate_at:
            group[alias] = row[at]
        group["__domain"] = sub_domain
        result.append(group)
    return result


def _grouped_query(table: Any, where: Any, keys: list[tuple[str, str, Any]],
                   labelled: list[Any], aggregates: list[tuple[str, Any]],
                   named: dict[int, tuple[Any, str]], orderby: str | None, offset: int,
                   limit: int | None) -> Any:
    """The ``GROUP BY`` on the group keys alone (ids, dates, plain values), then the name of
    each many2one group joined to its groups, not to every row: grouping by a joined name
    column made the database carry (and hash) the names of a million rows for a few hundred
    groups. Columns: the keys, the count, the aggregates, the names (by ``_name_columns``)."""
    grouped = (
        select(*labelled, func.count().label("__count"),
               *(expr.label(alias) for alias, expr in aggregates))
        .select_from(table).where(where).group_by(*labelled)
    )
    if not named:
        query = grouped.order_by(*_group_order(orderby, labelled, keys, aggregates))
        return query.offset(offset or None).limit(limit or None)
    if offset or limit:  # the page of groups is chosen before the names are joined
        grouped = grouped.order_by(*_group_order(orderby, labelled, keys, aggregates))
        grouped = grouped.offset(offset or None).limit(limit or None)
    groups = grouped.subquery("groups")
    source, names = groups, []
    for index, (comodel, rec_name) in named.items():
        other = comodel.__table__.alias(f"m{index}")
        source = source.outerjoin(other, other.c.id == groups.c[f"g{index}"])
        names.append(other.c[rec_name].label(f"__name{index}"))
    outer = [groups.c[column.name] for column in labelled]
    return (select(*groups.c, *names).select_from(source)
            .order_by(*_group_order(orderby, outer, keys,
                                    [(alias, groups.c[alias]) for alias, _e in aggregates],
                                    groups.c["__count"])))


def _name_columns(service: ModelService,
                  keys: list[tuple[str, str, Any]]) -> dict[int, tuple[Any, str]]:
    """Per many2one group (by index) whose target's name is stored: the target's model and
    name column, joined to the groups so that no second query reads thousands of ids."""
    named = {}
    for index, (_key, name, granularity) in enumerate(keys):
        info = service.fields[name]
        if info.type != "many2one" or granularity:
            continue
        comodel = service.env.registry[info.comodel or ""]
        rec_name = comodel.__fields__.get(comodel._rec_name) if comodel._rec_name else None
        if rec_name is not None and rec_name.stored:
            named[index] = (comodel, rec_name.name)
    return named


def group_leaf(name: str, granularity: str | None, value: Any) -> list[Any]:
    """The domain that selects the rows of one group (for drill-down)."""
    if granularity is None:
        return [(name, "=", value if value is not None else False)]
    if value is None:
        return [(name, "=", False)]
    start, end = period_range(granularity, str(value))
    return ["&", (name, ">=", start.isoformat()), (name, "<", end.isoformat())]


def period_range(granularity: str, key: str) -> tuple[dt.date, dt.date]:
    """``("month", "2026-11")`` → ``(2026-11-01, 2026-12-01)``: the half-open date range."""
    year = int(key[:4])
    if granularity == "year":
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if granularity == "quarter":
        first_month = (int(key[-1]) - 1) * 3 + 1
        start = dt.date(year, first_month, 1)
        return start, _add_months(start, 3)
    if granularity == "month":
        start = dt.date(year, int(key[5:7]), 1)
        return start, _add_months(start, 1)
    day = dt.date.fromisoformat(key[:10])
    return day, day + dt.timedelta(days=7 if granularity == "week" else 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def _group_order(
    orderby: str | None,
    labelled: list[Any],
    keys: list[tuple[str, str, Any]],
    aggregates: list[tuple[str, Any]],
    count: Any = None,
) -> list[Any]:
    """``orderby`` (group keys, field names, aggregate aliases, ``__count``) as ORDER BY
    clauses over ``labelled`` keys; an aggregate is ordered by its label unless ``aggregates``
    pairs it with a column (a subquery's)."""
    if not orderby:
        return list(labelled)
    by_name = {key: col for (key, _n, _g), col in zip(keys, labelled, strict=True)}
    by_name.update({name: col for (_k, name, _g), col in zip(keys, labelled, strict=True)})
    by_name.update({alias: expr if count is not None else literal_column(alias)
                    for alias, expr in aggregates})
    by_name["__count"] = count if count is not None else literal_column("__count")
    clauses = []
    for part in orderby.split(","):
        tokens = part.split()
        if not tokens or tokens[0] not in by_name:
            raise ValidationError(_("Cannot order groups by %(order)r.", order=part.strip()))
        column = by_name[tokens[0]]
        clauses.append(
            column.desc() if len(tokens) > 1 and tokens[1].lower() == "desc" else column.asc()
        )
    return clauses
