"""Section 3: reports, as the service's ``read_group`` against the bare SQL of the same GROUP BY.

A report runs only when the models it aggregates are installed and hold data; the issue's
trial balance, receivables aging and stock value need the accounting and stock addons.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, case, func, select

from core.db import READ_ONLY
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


YEAR_START, YEAR_END, AS_OF = dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 31)


def _trial_balance(env: Environment) -> Any:
    from addons.accounting.reports import trial_balance

    return trial_balance(env, YEAR_START, YEAR_END)


def _trial_balance_sql(env: Environment, conn: Connection) -> Any:
    """Opening balance, period debits/credits per account: two GROUP BYs and the accounts."""
    line = env.registry["account.move.line"].__table__
    account = env.registry["account.account"].__table__
    posted = line.c.parent_state == "posted"
    sums = (line.c.account_id, func.sum(line.c.debit), func.sum(line.c.credit),
            func.sum(line.c.balance))
    before = conn.execute(select(*sums).where(posted, line.c.date < YEAR_START)
                          .group_by(line.c.account_id)).all()
    during = conn.execute(select(*sums).where(posted, line.c.date >= YEAR_START,
                                              line.c.date <= YEAR_END)
                          .group_by(line.c.account_id)).all()
    ids = {r[0] for r in before} | {r[0] for r in during}
    return before, during, conn.execute(select(account.c.id, account.c.code, account.c.name)
                                        .where(account.c.id.in_(ids))
                                        .order_by(account.c.code)).all()


def _aging(env: Environment) -> Any:
    from addons.accounting.reports import receivables_aging

    return receivables_aging(env, AS_OF)


def _aging_sql(env: Environment, conn: Connection) -> Any:
    """Open receivables per customer and overdue bucket: one GROUP BY over a CASE."""
    line = env.registry["account.move.line"].__table__
    account = env.registry["account.account"].__table__
    partner = env.registry["res.partner"].__table__
    due = line.c.date_maturity
    bucket = case((due >= AS_OF, "not_due"),
                  (due >= AS_OF - dt.timedelta(days=30), "1_30"),
                  (due >= AS_OF - dt.timedelta(days=60), "31_60"),
                  (due >= AS_OF - dt.timedelta(days=90), "61_90"), else_="over_90")
    return conn.execute(
        select(line.c.partner_id, partner.c.name, bucket, func.sum(line.c.amount_residual))
        .select_from(line.join(account, account.c.id == line.c.account_id)
                     .outerjoin(partner, partner.c.id == line.c.partner_id))
        .where(line.c.parent_state == "posted", account.c.account_type == "asset_receivable",
               line.c.reconciled.is_(False), line.c.date <= AS_OF)
        .group_by(line.c.partner_id, partner.c.name, bucket)
        .order_by(partner.c.name)).all()


def _stock_value(env: Environment) -> Any:
    from addons.stock.models.reports import stock_value

    return stock_value(env, "warehouse_id")


def _stock_value_sql(env: Environment, conn: Connection) -> Any:
    quant = env.registry["stock.quant"].__table__
    warehouse = env.registry["stock.warehouse"].__table__
    return conn.execute(
        select(quant.c.warehouse_id, warehouse.c.name, func.sum(quant.c.quantity),
               func.sum(quant.c.value), func.count())
        .select_from(quant.outerjoin(warehouse, warehouse.c.id == quant.c.warehouse_id))
        .where(quant.c.usage.in_(("internal", "transit")))
        .group_by(quant.c.warehouse_id, warehouse.c.name)
        .order_by(quant.c.warehouse_id)).all()


REPORTS = [
    Report("partners by city × company/person", ("res.partner",), _partners_by_city,
           _partners_by_city_sql),
    Report("sales by month × product category", ("sale.order.line",), _sales_by_month_category,
           _sales_by_month_category_sql),
    Report("order totals by month × customer", ("sale.order",), _sales_by_month_partner,
           _sales_by_month_partner_sql),
    Report("trial balance (year)", ("account.move.line",), _trial_balance, _trial_balance_sql),
    Report("receivables aging", ("account.move.line",), _aging, _aging_sql),
    Report("stock value by warehouse", ("stock.quant",), _stock_value, _stock_value_sql),
]

from .pivot import PIVOTS  # noqa: E402  (it builds on Report above)

REPORTS += PIVOTS


def _project_costs() -> Report:
    from .project_costs import COST_REPORT

    return Report(*COST_REPORT)


REPORTS.append(_project_costs())


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
            try:  # the bare SQL reads beside the open environment, which holds SQLite's
                # write lock (BEGIN IMMEDIATE): its connection begins deferred, or it waits
                # out the busy timeout and fails with "database is locked"
                with bench.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
                    service = median_seconds(lambda r=report: r.service(env), runs)
                    bare = median_seconds(lambda r=report, c=conn: r.bare(env, c), runs)
            except Exception as exc:  # noqa: BLE001  (an addon's report failing is reported)
                env.session.rollback()
                results.note(f"Reports: {report.name} failed: {str(exc).splitlines()[0]}")
                continue
            results.add(Figure(SECTION, report.name, service * 1000, "ms", bare * 1000,
                               MAX_RATIO, LIMIT_SECONDS * 1000 if postgres else None))
        if "account.move.line" in env:
            count = env["account.move.line"].sudo().search_count([])
            results.note(f"Reports ran over {count:,} journal lines (the issue asks for "
                         "1,000,000 on PostgreSQL): the generated year and the order-to-cash "
                         "flow.")
