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
    """Per account (with its code and name) and month: debits, credits, lines."""
    line = env.registry["account.move.line"].__table__
    account = env.registry["account.account"].__table__
    month = _month(conn, line.c.date)
    return conn.execute(
        select(line.c.account_id, account.c.code, account.c.name, month, func.sum(line.c.debit),
               func.sum(line.c.credit), func.count())
        .select_from(line.outerjoin(account, account.c.id == line.c.account_id))
        .group_by(line.c.account_id, account.c.code, account.c.name, month)
        .order_by(line.c.account_id, month)).all()


def _moves(env: Environment) -> Any:
    return _pivot(env, "stock.move", ["warehouse_id", "product_id"], ["date:quarter"],
                  ["product_qty:sum", "value:sum"])


def _two_levels_sql(env: Environment, conn: Connection, model: str,
                    levels: tuple[tuple[str, str], tuple[str, str]], bucket: Any,
                    sums: tuple[str, ...]) -> Any:
    """Two many2one row levels (each with its target's name joined in) × a date bucket: the
    sums of ``sums`` and the count, as the pivot shows them."""
    table = env.registry[model].__table__
    (first, first_model), (second, second_model) = levels
    one = env.registry[first_model].__table__
    two = env.registry[second_model].__table__
    keys = (table.c[first], one.c.name, table.c[second], two.c.name, bucket)
    return conn.execute(
        select(*keys, *(func.sum(table.c[name]) for name in sums), func.count())
        .select_from(table.outerjoin(one, one.c.id == table.c[first])
                     .outerjoin(two, two.c.id == table.c[second]))
        .group_by(*keys).order_by(table.c[first], table.c[second], bucket)).all()


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
