"""Price lists: a customer's special prices, by product, product line or for everything.

An item applies to one product, to a product category and its sub-categories, or to all products,
from a minimum quantity and within optional dates. It either fixes the price or takes a
percentage off the product's sales price. The most specific item wins (product, then the deepest
category, then global), then the highest minimum quantity met.
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

COMPUTE = [("fixed", _l("Fixed price")), ("percentage", _l("Discount on the sales price"))]
APPLIED_ON = [("product", _l("Product")), ("category", _l("Product category")),
              ("global", _l("All products"))]


class Pricelist:
    _name = "sale.pricelist"
    _description = _l("Price list")
    _order = "name"

    name: Mapped[str] = fields.Char(_l("Price list"), required=True)
    item_ids = fields.One2many("sale.pricelist.item", "pricelist_id", _l("Rules"))
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class PricelistItem:
    _name = "sale.pricelist.item"
    _description = _l("Price list rule")
    _order = "pricelist_id, min_quantity desc"
    _rec_name = "applied_on"

    pricelist_id: Mapped[int] = fields.Many2one("sale.pricelist", _l("Price list"),
                                                required=True, ondelete="CASCADE")
    applied_on: Mapped[str] = fields.Selection(APPLIED_ON, _l("Applies to"), required=True,
                                               default="product")
    product_id: Mapped[Optional[int]] = fields.Many2one("product.product", _l("Product"),
                                                        ondelete="CASCADE")
    categ_id: Mapped[Optional[int]] = fields.Many2one("product.category", _l("Product category"),
                                                      ondelete="CASCADE")
    min_quantity: Mapped[Decimal] = fields.Decimal(_l("Minimum quantity"), digits=(16, 3),
                                                   default=Decimal("0"))
    compute_price: Mapped[str] = fields.Selection(COMPUTE, _l("Price"), required=True,
                                                  default="fixed")
    fixed_price: Mapped[Optional[Decimal]] = fields.Monetary(_l("Fixed price"), digits=(16, 4))
    percent_price: Mapped[Optional[Decimal]] = fields.Decimal(_l("Discount (%)"), digits=(5, 2))
    date_start: Mapped[Optional[dt.date]] = fields.Date(_l("Valid from"))
    date_end: Mapped[Optional[dt.date]] = fields.Date(_l("Valid until"))

    @constrains("applied_on", "product_id", "categ_id", "compute_price", "fixed_price",
                "percent_price", "date_start", "date_end")
    def _check_rule(self) -> None:
        """A rule names what it applies to and how it prices, consistently."""
        if self.applied_on == "product" and not self.product_id:
            raise ValidationError(_("A product rule needs a product."))
        if self.applied_on == "category" and not self.categ_id:
            raise ValidationError(_("A category rule needs a product category."))
        if self.compute_price == "fixed" and (self.fixed_price is None or self.fixed_price < 0):
            raise ValidationError(_("A fixed-price rule needs a price of zero or more."))
        if self.compute_price == "percentage" and not (
                self.percent_price is not None and 0 <= self.percent_price <= 100):
            raise ValidationError(_("A discount rule needs a percentage between 0 and 100."))
        if self.date_start and self.date_end and self.date_end < self.date_start:
            raise ValidationError(_("A rule cannot end before it starts."))


def _category_chain(env: Any, categ_id: int | None) -> list[int]:
    """``categ_id`` and its ancestors, nearest first."""
    categ = env.registry["product.category"]
    chain: list[int] = []
    while categ_id and categ_id not in chain:
        chain.append(categ_id)
        categ_id = env.session.scalar(select(categ.parent_id).where(categ.id == categ_id))
    return chain


def pricelist_price(env: Any, pricelist_id: int | None, product: Any, qty: Decimal,
                    day: dt.date | None = None) -> Decimal | None:
    """The price per product unit that ``pricelist_id`` gives ``product`` for ``qty`` units on
    ``day``, or None when no rule applies."""
    if not pricelist_id:
        return None
    day = day or dt.date.today()
    item = env.registry["sale.pricelist.item"]
    chain = _category_chain(env, product.categ_id)
    rows = list(env.session.scalars(select(item).where(
        item.pricelist_id == pricelist_id,
        or_(item.date_start.is_(None), item.date_start <= day),
        or_(item.date_end.is_(None), item.date_end >= day),
        or_(item.applied_on == "global",
            (item.applied_on == "product") & (item.product_id == product.id),
            (item.applied_on == "category") & item.categ_id.in_(chain or [0])))))

    def rank(rule: Any) -> tuple[int, Decimal]:
        if rule.applied_on == "product":
            level = 0
        elif rule.applied_on == "category":
            level = 1 + chain.index(rule.categ_id)
        else:
            level = 1 + len(chain)
        return level, -(rule.min_quantity or Decimal(0))

    applicable = sorted((r for r in rows if (r.min_quantity or 0) <= qty), key=rank)
    if not applicable:
        return None
    rule = applicable[0]
    if rule.compute_price == "fixed":
        return Decimal(rule.fixed_price or 0)
    base = Decimal(product.list_price or 0)
    return base * (Decimal(100) - Decimal(rule.percent_price or 0)) / Decimal(100)


PRICELIST_MODELS = [Pricelist, PricelistItem]
