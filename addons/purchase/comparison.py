"""Supplier comparison sheets (比价单): requests for quotation to several suppliers, their
quoted prices, lead times and terms side by side, and the buyer's choice with its reason.

The buyer sends the RFQs (draft ``purchase.order`` records linked to the sheet), enters each
supplier's quoted prices and dates on them, and picks the winner with a reason: the winning RFQ
stays to be submitted for approval, the others are cancelled, and the choice is kept on the sheet
and on the winning order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import fields, public
from core.errors import UserError, ValidationError
from core.i18n import _, _l

from .common import changed_values, next_number, require_reason, require_state, today


def _after_both_tables(column: Any) -> Any:
    """Sheets and orders point at each other: this side's foreign key is created after both
    tables (``use_alter``), so the tables sort without a cycle."""
    for fk in column.column.foreign_keys:
        fk.use_alter = True
        fk.name = "purchase_comparison_winner_fk"
    return column


COMPARISON_STATES = [("draft", _l("Draft")), ("quoting", _l("Collecting quotations")),
                     ("done", _l("Supplier chosen")), ("cancel", _l("Cancelled"))]


class PurchaseComparison:
    _name = "purchase.comparison"
    _description = _l("Supplier comparison")
    _order = "date desc, id desc"
    _track = True

    name: Mapped[Optional[str]] = fields.Char(_l("Comparison number"), size=64, index=True,
                                              readonly=True)
    request_id: Mapped[Optional[int]] = fields.Many2one("purchase.request",
                                                        _l("Purchase request"), index=True)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Buyer"), index=True,
                                                     default=lambda env: env.uid)
    date: Mapped[dt.date] = fields.Date(_l("Date"), required=True, default=lambda env: today())
    supplier_ids = fields.Many2many("res.partner", _l("Suppliers asked"),
                                    relation="purchase_comparison_partner_rel",
                                    column1="comparison_id", column2="partner_id")
    order_ids = fields.One2many("purchase.order", "comparison_id", _l("Quotations"))
    quote_line_ids = fields.One2many("purchase.order.line", "comparison_id",
                                     _l("Quoted lines side by side"))
    winner_id: Mapped[Optional[int]] = _after_both_tables(fields.Many2one(
        "purchase.order", _l("Chosen quotation"),
        help=_l("Pick one of the quotations below, give the reason, then confirm the choice.")))
    winner_partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner",
                                                               _l("Chosen supplier"),
                                                               readonly=True)
    reason: Mapped[Optional[str]] = fields.Text(_l("Reason for the choice"))
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    state: Mapped[str] = fields.Selection(COMPARISON_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            for name in ("winner_id", "winner_partner_id", "reason", "state"):
                if vals.get(name) not in (None, False, "draft"):
                    raise ValidationError(_("The choice of a comparison sheet is made by its "
                                            "buttons."))
            if not vals.get("name"):
                vals["name"] = next_number(env, "purchase.comparison")
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        if self.state in ("done", "cancel") and set(changed_values(self, vals)) - {"note"}:
            raise ValidationError(_("%(name)s is closed.", name=self.display_name))
        if "winner_id" in vals and vals["winner_id"] and self.state != "quoting":
            raise ValidationError(_("Send the RFQs before choosing a supplier."),
                                  field="winner_id")
        super().write(vals)

    @public
    def action_send_rfqs(self) -> list[int]:
        """One RFQ per supplier asked, with the request's open lines (or the lines of the
        first RFQ); returns the ids of the RFQs made."""
        require_state(self, ("draft", "quoting"), _("Sending RFQs"))
        from .sourcing import rfqs_for_comparison

        made = rfqs_for_comparison(self.env, self)
        self.state = "quoting"
        return made

    action_send_rfqs.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_choose(self, order_id: int | None = None, reason: str = "") -> int:
        """Choose the quotation ``order_id`` (default: the sheet's chosen quotation) with a
        reason (default: the sheet's): the others are cancelled. Returns the chosen order's
        id."""
        require_state(self, ("quoting",), _("Choosing a supplier"))
        reason = require_reason(reason or self.reason, _("Choosing a supplier"))
        order_id = order_id or self.winner_id
        orders = self._quotations()
        chosen = next((o for o in orders if o.id == int(order_id or 0)), None)
        if chosen is None or chosen.state not in ("draft", "sent"):
            raise UserError(_("Choose one of the open quotations of %(name)s.",
                              name=self.display_name))
        self.winner_id, self.winner_partner_id, self.reason = chosen.id, chosen.partner_id, reason
        self.state = "done"
        sudo = self.env.sudo()
        chosen.winner_reason = reason
        lost = _("Not chosen in %(name)s", name=self.name)
        for order in orders:
            if order.id != chosen.id and order.state in ("draft", "sent"):
                sudo["purchase.order"].call("action_cancel", [order.id], lost)
        chosen.refresh_requests()
        return chosen.id

    action_choose.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    def _quotations(self) -> list[Any]:
        order = self.env.registry["purchase.order"]
        return list(self.env.session.scalars(select(order).where(
            order.comparison_id == self.id).order_by(order.amount_total, order.id)))

    def table(self) -> list[dict[str, Any]]:
        """The quotations side by side: per supplier its total, latest arrival date, payment
        term and rating, cheapest first (the comparison page and tests read it)."""
        line = self.env.registry["purchase.order.line"]
        rows = []
        for order in self._quotations():
            latest = self.env.session.scalar(select(line.date_planned).where(
                line.order_id == order.id).order_by(line.date_planned.desc()).limit(1))
            rows.append({"order_id": order.id, "order": order.name,
                         "partner": order.partner.name, "amount_untaxed": order.amount_untaxed,
                         "amount_total": order.amount_total, "date_planned": latest,
                         "payment_term_days": order.payment_term_days,
                         "rating": order.partner.supplier_rating, "state": order.state})
        return rows

    def matrix(self) -> dict[str, Any]:
        """The sheet as a matrix (the comparison page): a column per quotation (``table()``,
        cheapest first, the cheapest open one and the chosen one marked), a row per product
        with each quotation's price, VAT rate, amount, arrival and lead time in days, the
        lowest price of the row marked."""
        columns = self.table()
        open_ = [c for c in columns if c["state"] in ("draft", "sent")]
        cheapest = min(open_, key=lambda c: c["amount_total"])["order_id"] if open_ else None
        for column in columns:
            column["cheapest"] = column["order_id"] == cheapest
            column["winner"] = column["order_id"] == self.winner_id
        line = self.env.registry["purchase.order.line"]
        rows: dict[int, dict[str, Any]] = {}
        for quote in self.env.session.scalars(select(line).where(
                line.comparison_id == self.id).order_by(line.product_id, line.id)):
            row = rows.setdefault(quote.product_id, {"product": quote.product.display_name,
                                                     "qty": quote.product_qty, "cells": {}})
            lead = (quote.date_planned - quote.date_order).days \
                if quote.date_planned and quote.date_order else None
            row["cells"].setdefault(quote.order_id, {
                "price_unit": quote.price_unit, "vat_rate": quote.vat_rate,
                "price_total": quote.price_total, "date_planned": quote.date_planned,
                "lead_days": lead, "best": False})
        for row in rows.values():
            prices = [c["price_unit"] for c in row["cells"].values() if c["price_unit"]]
            for cell in row["cells"].values():
                cell["best"] = bool(prices) and cell["price_unit"] == min(prices)
        return {"columns": columns, "rows": list(rows.values())}


COMPARISON_MODELS = [PurchaseComparison]
