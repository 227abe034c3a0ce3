"""Production costs in the books (perpetual, at actual cost).

stock_account already books every stock move of an order: the material issue Dr 5001 生产成本 /
Cr 1405 at the moving average, the surplus returned (退料) and the finished goods received
Dr 1405 / Cr 5001. This glue books, when an order passes its inspection, the conversion costs the
finished goods carry: Dr 5001 (直接人工) / Cr 2211 应付职工薪酬 and Dr 5001 (制造费用) /
Cr 5101 制造费用. So for every finished order 5001 nets to zero: materials + labour + overhead in,
the finished goods' value out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from addons.accounting.models.chart import money
from core import fields
from core.i18n import _, _l
from core.menus import MenuItem
from core.plugins import hookimpl
from core.security import Access, grant
from core.views import ViewExtension

COST = "accounting.group_cost"


class ProductionVoucher:
    _inherit = "mrp.production"

    account_move_id: Mapped[Optional[int]] = fields.Many2one(
        "account.move", _l("Conversion cost voucher"), readonly=True)


def book_conversion(env: Any, production: Any) -> int | None:
    """Post the labour and overhead voucher of a finished order; returns its id (None when the
    order had no work-centre cost)."""
    labour, overhead = money(production.cost_labour or 0), money(production.cost_overhead or 0)
    journal = env.ref_id("accounting.journal_stock", raise_if_not_found=False)
    if journal is None or not (labour or overhead):
        return None
    wip = env.ref_id("accounting.account_5001")
    lines = []
    for amount, credit, label in ((labour, "2211", _("Direct labour")),
                                  (overhead, "5101", _("Manufacturing overhead"))):
        if not amount:
            continue
        name = f"{production.name} {label}"
        sign = amount > 0
        lines.append((0, 0, {"account_id": wip, "name": name, "product_id": production.product_id,
                             "debit" if sign else "credit": abs(amount)}))
        lines.append((0, 0, {"account_id": env.ref_id(f"accounting.account_{credit}"),
                             "name": name, "credit" if sign else "debit": abs(amount)}))
    vouchers = env.sudo()["account.move"]
    voucher_id = vouchers.create({"journal_id": journal, "ref": production.name,
                                  "date": (production.date_finished.date()
                                           if production.date_finished else None),
                                  "line_ids": lines})
    vouchers.call("action_post", [voucher_id])
    production.account_move_id = voucher_id
    env.session.flush()
    return voucher_id


def wip_balance(env: Any) -> Decimal:
    """The balance of 5001 生产成本 over the posted vouchers (one SUM): the components issued to
    orders not finished yet."""
    line = env.registry["account.move.line"]
    return Decimal(env.session.scalar(select(func.coalesce(func.sum(
        line.debit - line.credit), 0)).where(
        line.account_id == env.ref_id("accounting.account_5001"),
        line.parent_state == "posted")) or 0)


@hookimpl
def register_models() -> list[type]:
    return [ProductionVoucher]


@hookimpl
def mrp_production_done(env: Any, production: Any) -> None:
    book_conversion(env, production)


@hookimpl
def register_access() -> list[Access]:
    """The cost accountant (成本会计) reads the orders, their bills and planning."""
    from addons.production.security import ALL

    return grant("production_account", ALL, COST)


@hookimpl
def register_menus() -> list[MenuItem]:
    return [MenuItem("production_account.menu_costs", _l("Production cost report"),
                     parent="accounting.menu_root", sequence=35, groups=(COST,),
                     url="/web/page/production/costs")]


@hookimpl
def register_views() -> list[object]:
    return [ViewExtension("mrp.production", "form", add=("account_move_id",),
                          after="cost_variance")]
