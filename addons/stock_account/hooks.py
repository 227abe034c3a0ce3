"""stock_account's registrations: fields added to accounting and stock models, the match model,
access, menus and views, and the hooks that book stock values and the cost of sales."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import fields, public
from core.i18n import _l
from core.menus import MenuItem
from core.plugins import hookimpl
from core.security import Access, grant
from core.views import Button, FormView, ListView, ViewExtension

from .matching import MATCH_STATES, CostMatch, book_cost_of_sales
from .valuation import book_moves

COST = "accounting.group_cost"
POSTS = ("accounting.group_invoicing", COST, "accounting.group_receivable",
         "accounting.group_chief")


def _after_both_tables(column: Any, name: str) -> Any:
    """Matches and moves point at each other: this side's foreign key is created after both
    tables (``use_alter``), so the tables sort without a cycle."""
    for fk in column.column.foreign_keys:
        fk.use_alter = True
        fk.name = name
    return column


class MoveLineProduct:
    _inherit = "account.move.line"

    product_id: Mapped[Optional[int]] = fields.Many2one("product.product", _l("Product"))
    qty_matched: Mapped[Optional[Decimal]] = fields.Decimal(_l("Quantity matched"),
                                                            readonly=True, default=Decimal(0))
    match_state: Mapped[Optional[str]] = fields.Selection(MATCH_STATES, _l("Matching"),
                                                          readonly=True, default="unmatched",
                                                          index=True)


class StockMoveValuation:
    _inherit = "stock.move"

    account_move_id: Mapped[Optional[int]] = fields.Many2one(
        "account.move", _l("Valuation voucher"), readonly=True)
    cost_match_id: Mapped[Optional[int]] = _after_both_tables(fields.Many2one(
        "account.cost.match", _l("Invoice match"), readonly=True), "stock_move_cost_match_fk")
    qty_matched: Mapped[Optional[Decimal]] = fields.Decimal(_l("Quantity matched"),
                                                            readonly=True, default=Decimal(0))
    match_state: Mapped[Optional[str]] = fields.Selection(MATCH_STATES, _l("Matching"),
                                                          readonly=True, default="unmatched",
                                                          index=True)


class PeriodCostOfSales:
    _inherit = "account.period"

    @public
    def action_book_cost_of_sales(self) -> int | None:
        """Book the cost of sales of the matches dated up to the end of this period (月底结转
        销售成本); returns the voucher id (None when nothing is left to book)."""
        self.env["account.cost.match"]._check_ids([], "create")
        return book_cost_of_sales(self.env, self.date_to)

    # the cost accountant reads periods; the right checked is creating matches
    action_book_cost_of_sales.__kangyi_check__ = "read"  # type: ignore[attr-defined]


class InvoiceMatching:
    _inherit = "account.move"

    @public
    def action_match_shipments(self) -> list[int]:
        """Match this posted invoice's lines with the customer's open shipments (钩稽)."""
        return self.env["account.cost.match"].auto_match([self.id])

    action_match_shipments.__kangyi_check__ = "read"  # type: ignore[attr-defined]


@hookimpl
def register_models() -> list[type]:
    return [MoveLineProduct, StockMoveValuation, CostMatch, PeriodCostOfSales, InvoiceMatching]


@hookimpl
def register_access() -> list[Access]:
    rights = [Access(f"stock_account.access_cost_match_{post.split('_', 1)[1]}",
                     "account.cost.match", post) for post in POSTS]
    rights.append(Access("stock_account.access_cost_match_cost", "account.cost.match", COST,
                         read=True, create=True))
    costed = ("stock.move", "stock.picking", "stock.location", "product.product")
    return rights + grant("stock_account", costed, COST)


def _url(model: str, domain: list[Any]) -> str:
    return f"/web/{model}?domain={json.dumps(domain)}"


@hookimpl
def register_menus() -> list[MenuItem]:
    parent = "stock_account.menu_matching"
    return [
        MenuItem(parent, _l("Matching (钩稽)"), parent="accounting.menu_root", sequence=30,
                 groups=(COST,)),
        MenuItem("stock_account.menu_shipments", _l("Shipments to match"), parent=parent,
                 sequence=10, groups=(COST,), url=_url("stock.move", [
                     ["location_dest_id.usage", "=", "transit"], ["state", "=", "done"],
                     ["match_state", "!=", "matched"]])),
        MenuItem("stock_account.menu_invoice_lines", _l("Invoice lines to match"),
                 parent=parent, sequence=20, groups=(COST,), url=_url("account.move.line", [
                     ["display_type", "=", "product"], ["parent_state", "=", "posted"],
                     ["product_id", "!=", False], ["match_state", "!=", "matched"]])),
        MenuItem("stock_account.menu_matches", _l("Matches"), parent=parent, sequence=30,
                 model="account.cost.match"),
    ]


@hookimpl
def register_views() -> list:
    return [
        ListView("account.cost.match", ("date", "invoice_id", "partner_id", "product_id",
                                        "quantity", "cost", "outbound_picking_id",
                                        "cogs_move_id"),
                 search=("partner_id", "product_id", "invoice_id"),
                 group_by=("partner_id", "product_id", "date")),
        FormView("account.cost.match", ("invoice_line_id", "stock_move_id", "quantity", "date",
                                        "partner_id", "product_id", "invoice_id",
                                        "outbound_picking_id", "cost", "cogs_move_id")),
        ViewExtension("account.move.line", "list", add=("product_id", "qty_matched",
                                                        "match_state"), after="name"),
        ViewExtension("account.move", "form", buttons=(
            Button("action_match_shipments", _l("Match shipments (钩稽)"), groups=(COST,)),)),
        ViewExtension("account.period", "form", buttons=(
            Button("action_book_cost_of_sales", _l("Book cost of sales"), groups=(COST,)),)),
    ]


@hookimpl
def stock_moves_done(env: Any, move_ids: list[int]) -> None:
    book_moves(env, move_ids)


@hookimpl
def account_period_reminders(env: Any, period: dict[str, Any]) -> list[Any]:
    """The month-end reminder names the shipments to customers done by the period's end and
    not fully matched (钩稽) with invoice lines yet."""
    end = dt.datetime.combine(period["date_to"] + dt.timedelta(days=1), dt.time())
    count = env["stock.move"].search_count([
        ("location_dest_id.usage", "=", "transit"), ("state", "=", "done"),
        ("match_state", "!=", "matched"), ("date", "<", end)])
    if not count:
        return []
    return [_l("%(count)s shipments to customers are not matched with invoices yet (钩稽).",
               count=count)]


@hookimpl
def account_period_closing(env: Any, period: Any) -> None:
    book_cost_of_sales(env, period.date_to)
