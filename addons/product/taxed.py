"""Mixins of documents priced excluding VAT (sales and purchase orders and their lines).

A line inheriting :class:`TaxedLine` has stored ``price_subtotal``, ``price_tax`` and
``price_total``, computed from its quantity (the field ``_quantity_field`` names), ``price_unit``,
``discount`` (when the model has one) and ``vat_rate``, rounded per line; a document inheriting
:class:`TaxedDocument` has stored ``amount_untaxed``, ``amount_tax`` and ``amount_total``, the
sums of its lines' (the one2many ``_lines_field`` names). A model may redeclare one of the fields
to change its label or options (see "Mixins" in docs/addons.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy.orm import Mapped

from core import depends, fields
from core.i18n import _l

from .amounts import LineAmounts, document_amounts, line_amounts

__all__ = ["TaxedLine", "TaxedDocument", "has_amount"]


def _line_inputs(model: Any) -> tuple[str, ...]:
    discount = ("discount",) if "discount" in model.__fields__ else ()
    return (model._quantity_field, "price_unit", *discount, "vat_rate")


class TaxedLine:
    """A line's untaxed amount, tax and total from quantity, unit price, discount and VAT."""

    #: the line's quantity field
    _quantity_field: ClassVar[str] = "product_uom_qty"

    price_subtotal: Mapped[Decimal] = fields.Monetary(_l("Untaxed amount"),
                                                      compute="_compute_amounts", store=True)
    price_tax: Mapped[Decimal] = fields.Monetary(_l("Tax"), compute="_compute_amounts",
                                                 store=True)
    price_total: Mapped[Decimal] = fields.Monetary(_l("Total incl. tax"),
                                                   compute="_compute_amounts", store=True)

    @depends(_line_inputs)
    def _compute_amounts(self: Any) -> None:
        discount = self.discount if "discount" in self.__fields__ else 0
        self.price_subtotal, self.price_tax, self.price_total = line_amounts(
            getattr(self, self._quantity_field), self.price_unit, discount, self.vat_rate)


class TaxedDocument:
    """A document's untaxed amount, tax and total: the sums of its lines' rounded amounts."""

    #: the document's one2many of :class:`TaxedLine` lines
    _lines_field: ClassVar[str] = "order_line"

    amount_untaxed: Mapped[Decimal] = fields.Monetary(_l("Untaxed amount"),
                                                      compute="_compute_amounts", store=True)
    amount_tax: Mapped[Decimal] = fields.Monetary(_l("Taxes"), compute="_compute_amounts",
                                                  store=True)
    amount_total: Mapped[Decimal] = fields.Monetary(_l("Total incl. tax"),
                                                    compute="_compute_amounts", store=True)

    @depends(lambda model: (f"{model._lines_field}.price_subtotal",
                            f"{model._lines_field}.price_tax"))
    def _compute_amounts(self: Any) -> None:
        self.amount_untaxed, self.amount_tax, self.amount_total = document_amounts(
            LineAmounts(line.price_subtotal or Decimal(0), line.price_tax or Decimal(0),
                        line.price_total or Decimal(0))
            for line in getattr(self, self._lines_field))


def has_amount(document: Any) -> bool:
    """Whether a :class:`TaxedDocument` has lines with an amount (a condition to submit it)."""
    return bool(document.amount_total and document.amount_total > 0)
