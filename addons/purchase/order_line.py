"""Purchase order lines: product, quantity, unit, price (excluding VAT), VAT rate (input tax),
expected date, and the received and billed quantities the glue addons keep.

A line takes its unit, VAT rate and description from the product and its price from the
supplier's price list (``product.supplierinfo``), else the product's cost. Amounts are stored
computed fields (Decimal), and so are the order's totals; the order's supplier, buyer, date,
state and comparison sheet are stored related fields of the line. Lines change only while the
order is a draft (an RFQ, or an approved order under amendment), and never below what was
received or billed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from addons.product.taxed import TaxedLine
from core import constrains, fields
from core.errors import UserError, ValidationError
from core.i18n import _, _l

from .common import ZERO, changed_values, refuse_computed
from .order import ORDER_STATES
from .supplier import best_price

COMPUTED = ("qty_received", "qty_invoiced", "qty_returned")


class PurchaseOrderLine(TaxedLine):
    _name = "purchase.order.line"
    _quantity_field = "product_qty"
    _description = _l("Purchase order line")
    _order = "order_id, sequence, id"

    order_id: Mapped[int] = fields.Many2one("purchase.order", _l("Order"), required=True,
                                            ondelete="CASCADE", index=True)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="RESTRICT", index=True)
    name: Mapped[Optional[str]] = fields.Text(_l("Description"))
    product_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 3),
                                                  default=Decimal(1))
    product_uom: Mapped[Optional[int]] = fields.Many2one("uom.uom", _l("Unit"),
                                                         ondelete="RESTRICT")
    price_unit: Mapped[Optional[Decimal]] = fields.Monetary(_l("Unit price (excl. VAT)"),
                                                            digits=(16, 4))
    vat_rate: Mapped[Optional[Decimal]] = fields.Decimal(_l("VAT rate (%)"), digits=(5, 2))
    date_planned: Mapped[Optional[dt.date]] = fields.Date(_l("Expected arrival"))
    # TaxedLine's tax, named as input tax
    price_tax: Mapped[Decimal] = fields.Monetary(_l("Input VAT"), compute="_compute_amounts",
                                                 store=True)
    qty_received: Mapped[Decimal] = fields.Decimal(_l("Received"), digits=(16, 3),
                                                   readonly=True, default=ZERO)
    qty_returned: Mapped[Decimal] = fields.Decimal(_l("Returned"), digits=(16, 3),
                                                   readonly=True, default=ZERO)
    qty_invoiced: Mapped[Decimal] = fields.Decimal(_l("Billed"), digits=(16, 3),
                                                   readonly=True, default=ZERO)
    request_line_id: Mapped[Optional[int]] = fields.Many2one(
        "purchase.request.line", _l("Purchase request line"), ondelete="SET NULL", index=True)
    # the order's fields, stored for record rules and analysis (GROUP BY in SQL)
    partner_id: Mapped[Optional[int]] = fields.Many2one(
        "res.partner", _l("Supplier"), related="order_id.partner_id", store=True, index=True)
    buyer_id: Mapped[Optional[int]] = fields.Many2one(
        "res.users", _l("Buyer"), related="order_id.user_id", store=True)
    date_order: Mapped[Optional[dt.date]] = fields.Date(
        _l("Order date"), related="order_id.date_order", store=True, index=True)
    state: Mapped[Optional[str]] = fields.Selection(
        ORDER_STATES, _l("Order status"), related="order_id.state", store=True, index=True)
    comparison_id: Mapped[Optional[int]] = fields.Many2one(
        "purchase.comparison", _l("Comparison sheet"), related="order_id.comparison_id",
        store=True, index=True)

    @property
    def display_name(self) -> str:
        return f"{self.order.name} / {self.product.name}" if self.order_id else \
            super().display_name

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            refuse_computed(cls, vals, COMPUTED)
            _check_order_is_draft(env, vals.get("order_id"))
        records = super().create(env, vals_list)
        for record in records:
            record._fill_from_product(set())
        _after_change(env, records)
        return records

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, COMPUTED)
        _check_order_is_draft(self.env, self.order_id)
        if "order_id" in vals:
            raise UserError(_("A line cannot move to another order."))
        if "product_id" in vals and (self.qty_received or self.qty_invoiced):
            raise ValidationError(_("%(line)s was received or billed: its product cannot "
                                    "change.", line=self.display_name), field="product_id")
        super().write(vals)
        if "product_id" in vals:
            self._fill_from_product(set(vals) - {"product_id"})
        _after_change(self.env, [self])

    def unlink(self) -> None:
        _check_order_is_draft(self.env, self.order_id)
        if self.qty_received or self.qty_invoiced:
            raise UserError(_("%(line)s was received or billed and cannot be deleted.",
                              line=self.display_name))
        super().unlink()

    def _fill_from_product(self, given: set[str]) -> None:
        """Unit, VAT, description and the supplier's price, for what the caller left out."""
        session = self.env.session
        session.flush()
        session.expire(self, ["product", "order"])
        product = self.product
        if not product.purchase_ok:
            raise ValidationError(_("The product %(product)s cannot be purchased.",
                                    product=product.display_name), field="product_id")
        self.product_uom = self.product_uom or product.uom_id
        if self.vat_rate is None:
            self.vat_rate = product.vat_rate
        self.name = self.name or product.display_name
        order = self.order
        seller = best_price(self.env, order.partner_id, product.id, self.product_qty,
                            order.date_order)
        if self.price_unit is None or ("product_id" in given and "price_unit" not in given):
            self.price_unit = (seller.price if seller is not None
                               else Decimal(product.standard_price or 0))
        if self.date_planned is None:
            days = seller.delay if seller is not None and seller.delay else 0
            self.date_planned = order.date_planned or order.date_order + dt.timedelta(days=days)

    @constrains("product_qty", "price_unit", "vat_rate")
    def _check_amounts(self) -> None:
        """A positive quantity, not below what was received or billed; a VAT rate from 0 to
        100 %; no negative price."""
        qty = Decimal(self.product_qty or 0)
        if qty <= 0:
            raise ValidationError(_("The quantity of %(line)s must be positive.",
                                    line=self.name or self.product.display_name),
                                  field="product_qty")
        done = max(Decimal(self.qty_received or 0), Decimal(self.qty_invoiced or 0))
        if qty < done:
            raise ValidationError(_("%(line)s: %(done)s were already received or billed; the "
                                    "quantity cannot be lower.", line=self.display_name,
                                    done=f"{done.normalize():f}"), field="product_qty")
        vat = Decimal(self.vat_rate or 0)
        if not 0 <= vat <= 100:
            raise ValidationError(_("The VAT rate lies between 0 and 100 percent."),
                                  field="vat_rate")
        if Decimal(self.price_unit or 0) < 0:
            raise ValidationError(_("The unit price cannot be negative."), field="price_unit")


def _check_order_is_draft(env: Any, order_id: int | None) -> None:
    order = env.session.get(env.registry["purchase.order"], order_id) if order_id else None
    if order is not None and order.state not in ("draft", "sent"):
        raise ValidationError(_("The lines of %(name)s cannot change: it is approved or "
                                "waiting for approval (amend it first).",
                                name=order.display_name))


def _after_change(env: Any, lines: list[Any]) -> None:
    from .sourcing import refresh_ordered

    refresh_ordered(env, {line.request_line_id for line in lines if line.request_line_id})


def order_lines(env: Any, order_id: int) -> list[Any]:
    """The lines of an order (ORM records), in order."""
    line = env.registry["purchase.order.line"]
    return list(env.session.scalars(select(line).where(line.order_id == order_id)
                                    .order_by(line.sequence, line.id)))


LINE_MODELS = [PurchaseOrderLine]
