"""Data analysis (issue 23): two-level pivots as the pivot page computes them (one
``read_group(lazy=False)`` through the service as the benchmark user, every subtotal and the
grand total summed from its groups), beside the bare SQL of the same ``GROUP BY``. They run in
the reports section (``benchmarks.reports`` appends them), against the same limits: ≤ 1.5 × the
baseline, ≤ 1 s on PostgreSQL over the year of data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, func, select

from core.env import Environment
from core.readgroup import date_bucket

from .reports import Report, _month

__all__ = ["PIVOTS"]


def _pivot(env: Environment, model: str, rows: list[str], cols: list[str],
           measures: list[str]) -> Any:
    from addons.analytics.pivot import compute, parse_measures

    svc = env[model]
    return compute(svc, [], rows, cols, parse_measures(svc, measures))


def _journal(env: Environment) -> Any:
    return _pivot(env, "account.move.line", ["account_id"], ["date:month"],
                  ["debit:sum", "credit:sum", "__count"])


def _journal_sql(env: Environment, conn: Connection) -> Any:
    """Per account and month: debits, credits, lines, grouped on the keys; then each account's
    code and name joined to its groups (as ``read_group`` does: the quicker plain SQL)."""
    line = env.registry["account.move.line"].__table__
    account = env.registry["account.account"].__table__
    month = _month(conn, line.c.date).label("month")
    groups = select(line.c.account_id, month, func.sum(line.c.debit).label("debit"),
                    func.sum(line.c.credit).label("credit"), func.count().label("lines")
                    ).group_by(line.c.account_id, month).subquery()
    return conn.execute(
        select(groups.c.account_id, account.c.code, account.c.name, groups.c.month,
               groups.c.debit, groups.c.credit, groups.c.lines)
        .select_from(groups.outerjoin(account, account.c.id == groups.c.account_id))
        .order_by(groups.c.account_id, groups.c.month)).all()


def _moves(env: Environment) -> Any:
    return _pivot(env, "stock.move", ["warehouse_id", "product_id"], ["date:quarter"],
                  ["product_qty:sum", "value:sum"])


def _two_levels_sql(env: Environment, conn: Connection, model: str,
                    levels: tuple[tuple[str, str], tuple[str, str]], bucket: Any,
                    sums: tuple[str, ...]) -> Any:
    """Two many2one row levels × a date bucket: the sums of ``sums`` and the count, grouped on
    the keys, then each level's target name joined to the groups, as the pivot shows them."""
    table = env.registry[model].__table__
    (first, first_model), (second, second_model) = levels
    one = env.registry[first_model].__table__
    two = env.registry[second_model].__table__
    keys = (table.c[first], table.c[second], bucket.label("bucket"))
    groups = select(*keys, *(func.sum(table.c[name]).label(name) for name in sums),
                    func.count().label("lines")).group_by(*keys).subquery()
    return conn.execute(
        select(groups.c[first], one.c.name, groups.c[second], two.c.name, groups.c.bucket,
               *(groups.c[name] for name in sums), groups.c.lines)
        .select_from(groups.outerjoin(one, one.c.id == groups.c[first])
                     .outerjoin(two, two.c.id == groups.c[second]))
        .order_by(groups.c[first], groups.c[second], groups.c.bucket)).all()


def _moves_sql(env: Environment, conn: Connection) -> Any:
    date = env.registry["stock.move"].__table__.c.date
    return _two_levels_sql(env, conn, "stock.move", (("warehouse_id", "stock.warehouse"),
                                                     ("product_id", "product.product")),
                           date_bucket(date, "quarter", conn.dialect.name),  # the same SQL
                           ("product_qty", "value"))


def _sales(env: Environment) -> Any:
    return _pivot(env, "sale.order.line", ["categ_id", "order_partner_id"], ["date_order:month"],
                  ["price_subtotal:sum", "product_uom_qty:sum"])


def _sales_sql(env: Environment, conn: Connection) -> Any:
    date = env.registry["sale.order.line"].__table__.c.date_order
    return _two_levels_sql(env, conn, "sale.order.line", (("categ_id", "product.category"),
                                                          ("order_partner_id", "res.partner")),
                           _month(conn, date), ("price_subtotal", "product_uom_qty"))


#: the day the dashboard is drawn on (the generated year's last)
AS_OF = dt.date(2026, 12, 31)


def _tiles_of(env: Environment) -> list[Any]:
    """Eight tiles of the shipped analyses whose models are installed (sales, stock, accounting,
    CRM), as a general manager's dashboard shows them."""
    from addons.analytics.declare import catalog_of

    return list(catalog_of(env.registry).tiles.values())[:8]


def _dashboard(env: Environment) -> Any:
    from addons.analytics.dashboards import tile_figures

    return [tile_figures(env, tile, AS_OF) for tile in _tiles_of(env)]


def _dashboard_sql(env: Environment, conn: Connection) -> Any:
    """Per tile: the sum (or count) by month over six months, or the plain total; the same
    conditions compiled without the service (the superuser's: no record rules)."""
    out = []
    for tile in _tiles_of(env):
        table = env.registry[tile.model].__table__
        field = tile.measure.partition(":")[0]
        value = func.count() if field == "__count" else func.sum(table.c[field])
        domain = list(tile.domain)
        if not tile.date_field:
            where = env.sudo()[tile.model].where_clause(domain)
            out.append(conn.execute(select(value).where(where)).all())
            continue
        where = env.sudo()[tile.model].where_clause(
            [*domain, (tile.date_field, ">=", "2026-07-01"), (tile.date_field, "<", "2027-01-01")])
        month = date_bucket(table.c[tile.date_field], "month", conn.dialect.name)
        out.append(conn.execute(select(month, value).where(where).group_by(month)).all())
    return out


PIVOTS = [
    Report("pivot: journal lines, account × month", ("account.move.line",), _journal,
           _journal_sql),
    Report("pivot: stock moves, warehouse › product × quarter", ("stock.move",), _moves,
           _moves_sql),
    Report("pivot: sales, category › customer × month", ("sale.order.line",), _sales,
           _sales_sql),
    Report("dashboard: eight KPI tiles (value, change, 6-month sparkline)",
           ("sale.order", "ir.filters"), _dashboard, _dashboard_sql),
]
