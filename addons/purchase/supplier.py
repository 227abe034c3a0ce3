"""Suppliers: purchase data on partners, and supplier price lists (``product.supplierinfo``).

A supplier price is valid for a product from a minimum quantity, between two optional dates; the
best price for a quantity on a day is the valid row with the highest minimum quantity not above
the quantity (then the lowest price), as Odoo's ``_select_seller`` picks it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Mapped

from core import constrains, fields
from core.errors import ValidationError
from core.i18n import _, _l

RATINGS = [("a", _l("A: preferred")), ("b", _l("B: approved")), ("c", _l("C: on probation")),
           ("d", _l("D: blocked"))]


class PartnerSupplier:
    """A partner's data as a supplier (供应商档案)."""

    _inherit = "res.partner"

    supplier_rank: Mapped[Optional[int]] = fields.Integer(
        _l("Supplier rank"), default=0, index=True,
        help=_l("Above zero for suppliers (Odoo's name); purchase orders raise it."))
    supplier_payment_term_days: Mapped[Optional[int]] = fields.Integer(
        _l("Supplier payment term (days)"), default=30,
        help=_l("Days we have to pay a vendor bill of this supplier."))
    supplier_bank_name: Mapped[Optional[str]] = fields.Char(_l("Bank"), size=128)
    supplier_bank_account: Mapped[Optional[str]] = fields.Char(_l("Bank account number"),
                                                               size=64)
    supplier_rating: Mapped[Optional[str]] = fields.Selection(RATINGS, _l("Supplier rating"),
                                                              index=True)
    seller_ids = fields.One2many("product.supplierinfo", "partner_id", _l("Supplier prices"))


class SupplierInfo:
    _name = "product.supplierinfo"
    _description = _l("Supplier price")
    _order = "product_id, sequence, min_qty desc, price"

    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Supplier"), required=True,
                                              ondelete="CASCADE", index=True)
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="CASCADE", index=True)
    product_code: Mapped[Optional[str]] = fields.Char(_l("Supplier's product code"), size=64)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    min_qty: Mapped[Decimal] = fields.Decimal(_l("Minimum quantity"), digits=(16, 3),
                                              default=Decimal(0))
    price: Mapped[Decimal] = fields.Monetary(_l("Price (excl. VAT)"), digits=(16, 4),
                                             required=True)
    delay: Mapped[Optional[int]] = fields.Integer(_l("Lead time (days)"), default=7)
    date_start: Mapped[Optional[dt.date]] = fields.Date(_l("Valid from"))
    date_end: Mapped[Optional[dt.date]] = fields.Date(_l("Valid until"))

    @property
    def display_name(self) -> str:
        return f"{self.partner.name} / {self.product.name}" if self.partner_id else \
            super().display_name

    @constrains("price", "min_qty", "delay", "date_start", "date_end")
    def _check_values(self) -> None:
        if Decimal(self.price or 0) < 0 or Decimal(self.min_qty or 0) < 0:
            raise ValidationError(_("A supplier price and its minimum quantity cannot be "
                                    "negative."), field="price")
        if (self.delay or 0) < 0:
            raise ValidationError(_("A lead time cannot be negative."), field="delay")
        if self.date_start and self.date_end and self.date_end < self.date_start:
            raise ValidationError(_("A supplier price ends after it starts."), field="date_end")


def best_price(env: Any, partner_id: int | None, product_id: int, qty: Any,
               day: dt.date | None) -> Any | None:
    """The supplier price row that applies to ``qty`` of a product on ``day`` (``partner_id``
    None: any supplier's), or None."""
    cls = env.registry["product.supplierinfo"]
    day = day or dt.date.today()
    query = select(cls).where(
        cls.product_id == product_id, cls.min_qty <= Decimal(str(qty or 0)),
        or_(cls.date_start.is_(None), cls.date_start <= day),
        or_(cls.date_end.is_(None), cls.date_end >= day))
    if partner_id:
        query = query.where(cls.partner_id == partner_id)
    return env.session.scalars(query.order_by(cls.min_qty.desc(), cls.price, cls.sequence,
                                              cls.id).limit(1)).first()


SUPPLIER_MODELS = [PartnerSupplier, SupplierInfo]
