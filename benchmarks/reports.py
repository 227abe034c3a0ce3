"""Section 3: reports, as the service's ``read_group`` against the bare SQL of the same GROUP BY.

A report runs only when the models it aggregates are installed and hold data; the issue's
trial balance, receivables aging and stock value need the accounting and stock addons.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, func, select

from core.env import Environment

from .bench_db import Bench
from .measure import Figure, Results, median_seconds

__all__ = ["REPORTS", "run_reports"]

SECTION = "3 reports"
MAX_RATIO = 1.5
#: the issue's limit on PostgreSQL at 1,000,000 journal lines (seconds)
LIMIT_SECONDS = 1.0


@dataclasses.dataclass(frozen=True)
class Report:
    """A report: the models it needs, the service call and the bare SQL of the same result."""

    name: str
    requires: tuple[str, ...]
    service: Callable[[Environment], Any]
    bare: Callable[[Environment, Connection], Any]


def _partners_by_city(env: Environment) -> Any:
    return env["res.partner"].read_group([], ["id:count"], ["city", "is_company"], lazy=False)


def _partners_by_city_sql(env: Environment, conn: Connection) -> Any:
    t = env.registry["res.partner"].__table__
    return conn.execute(select(t.c.city, t.c.is_company, func.count(t.c.id))
                        .where(t.c.active.is_(True)).group_by(t.c.city, t.c.is_company)
                        .order_by(t.c.city, t.c.is_company)).all()


def _sales_by_month_category(env: Environment) -> Any:
    return env["sale.order.line"].read_group([], ["price_subtotal:sum", "product_uom_qty:sum"],
                                             ["date_order:month", "categ_id"], lazy=False)


def _month(conn: Connection, column: Any) -> Any:
    return (func.to_char(column, "YYYY-MM") if conn.dialect.name == "postgresql"
            else func.strftime("%Y-%m", column))


def _sales_by_month_category_sql(env: Environment, conn: Connection) -> Any:
    """The same figures from the order lines, with the category names joined in."""
    line = env.registry["sale.order.line"].__table__
    category = env.registry["product.category"].__table__
    month = _month(conn, line.c.date_order)
    return conn.execute(
        select(month, line.c.categ_id, category.c.complete_name, func.sum(line.c.price_subtotal),
               func.sum(line.c.product_uom_qty), func.count())
        .select_from(line.outerjoin(category, category.c.id == line.c.categ_id))
        .group_by(month, line.c.categ_id, category.c.complete_name)
        .order_by(month, line.c.categ_id)).all()


def _sales_by_month_partner(env: Environment) -> Any:
    return env["sale.order"].read_group([], ["amount_total:sum"], ["date_order:month",
                                                                    "partner_id"], lazy=False)


def _sales_by_month_partner_sql(env: Environment, conn: Connection) -> Any:
    order = env.registry["sale.order"].__table__
    partner = env.registry["res.partner"].__table__
    month = _month(conn, order.c.date_order)
    return conn.execute(
        select(month, order.c.partner_id, partner.c.name, func.sum(order.c.amount_total),
               func.count())
        .select_from(order.outerjoin(partner, partner.c.id == order.c.partner_id))
        .group_by(month, order.c.partner_id, partner.c.name)
        .order_by(month, order.c.partner_id)).all()


REPORTS = [
    Report("partners by city × company/person", ("res.partner",), _partners_by_city,
           _partners_by_city_sql),
    Report("sales by month × product category", ("sale.order.line",), _sales_by_month_category,
           _sales_by_month_category_sql),
    Report("order totals by month × customer", ("sale.order",), _sales_by_month_partner,
           _sales_by_month_partner_sql),
]

#: the issue's reports that need addons this checkout may not have yet
PENDING = {
    "trial balance": "account.move.line",
    "receivables aging": "account.move.line",
    "stock value": "stock.move",
}


def run_reports(bench: Bench, results: Results, runs: int, login: str) -> None:
    """Time each report whose models are installed, as the benchmark user, against bare SQL."""
    postgres = bench.dialect == "postgresql"
    with bench.runtime.env() as admin:
        uid = admin["res.users"].search([("login", "=", login)])[0]
        env = admin(uid=uid, su=False)
        for report in REPORTS:
            missing = [m for m in report.requires if m not in env]
            if missing:
                results.note(f"Reports: {report.name} skipped ({', '.join(missing)} not "
                             "installed).")
                continue
            with bench.engine.connect() as conn:
                service = median_seconds(lambda r=report: r.service(env), runs)
                bare = median_seconds(lambda r=report, c=conn: r.bare(env, c), runs)
            results.add(Figure(SECTION, report.name, service * 1000, "ms", bare * 1000,
                               MAX_RATIO, LIMIT_SECONDS * 1000 if postgres else None))
    for name, model in PENDING.items():
        if model not in bench.runtime.registry:
            results.note(f"Reports: {name} not measured: {model} does not exist in this checkout "
                         "(its addon has not landed).")
