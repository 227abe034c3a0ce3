"""Sales order lines: product, quantity, unit, price, discount, VAT, and the amounts they make.

A line takes its unit, VAT rate, description and price from the product (the order's price list
first), converted to the line's unit. Its amounts are stored computed fields (Decimal), and so are
the order's and product's values copied on it for the analyses (related fields), so the framework
keeps them right. Lines change only while the order is a quotation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from addons.product.taxed import TaxedLine
from core import constrains, fields
from core.errors import UserError, ValidationError
from core.i18n import _, _l

from .common import changed_values, refuse_computed
from .order import ORDER_STATES
from .pricelist import pricelist_price

COMPUTED = ("qty_delivered", "qty_invoiced", "qty_to_invoice")
AMOUNT_INPUTS = ("product_uom_qty", "price_unit", "discount", "vat_rate")


class SaleOrderLine(TaxedLine):
    _name = "sale.order.line"
    #: the users owning a document, for the data scopes of posts (hr)
    _scope_fields = ("order_id.user_id", "order_id.create_uid")
    _rules_from = "order_id"
    _description = _l("Sales order line")
    _order = "order_id, sequence, id"
    #: the form fills these live, by the rules of create/write (core/web/onchange.py)
    _onchange = {"product_id": ("product_uom", "price_unit", "vat_rate", "name"),
                 "product_uom": ("price_unit",)}

    order_id: Mapped[int] = fields.Many2one("sale.order", _l("Order"), required=True,
                                            ondelete="CASCADE")
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="RESTRICT")
    name: Mapped[Optional[str]] = fields.Text(_l("Description"))
    product_uom_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 3),
                                                      default=Decimal("1"))
    product_uom: Mapped[Optional[int]] = fields.Many2one("uom.uom", _l("Unit"),
                                                         ondelete="RESTRICT")
    price_unit: Mapped[Optional[Decimal]] = fields.Monetary(_l("Unit price"), digits=(16, 4))
    discount: Mapped[Decimal] = fields.Decimal(_l("Discount (%)"), digits=(5, 2),
                                               default=Decimal("0"))
    vat_rate: Mapped[Optional[Decimal]] = fields.Decimal(_l("VAT rate (%)"), digits=(5, 2))
    qty_delivered: Mapped[Decimal] = fields.Decimal(_l("Delivered"), digits=(16, 3),
                                                    readonly=True, default=Decimal("0"))
    qty_invoiced: Mapped[Decimal] = fields.Decimal(_l("Invoiced"), digits=(16, 3),
                                                   readonly=True, default=Decimal("0"))
    qty_to_invoice: Mapped[Decimal] = fields.Decimal(_l("To invoice"), digits=(16, 3),
                                                     readonly=True, default=Decimal("0"))
    # the order's and product's fields, stored for analysis (GROUP BY in SQL)
    order_partner_id: Mapped[Optional[int]] = fields.Many2one(
        "res.partner", _l("Customer"), related="order_id.partner_id", store=True)
    salesman_id: Mapped[Optional[int]] = fields.Many2one(
        "res.users", _l("Salesperson"), related="order_id.user_id", store=True)
    date_order: Mapped[Optional[dt.date]] = fields.Date(
        _l("Order date"), related="order_id.date_order", store=True, index=True)
    categ_id: Mapped[Optional[int]] = fields.Many2one(
        "product.category", _l("Product category"), related="product_id.categ_id", store=True)
    region: Mapped[Optional[str]] = fields.Char(_l("Region"), size=128,
                                                related="order_id.region", store=True)
    state: Mapped[Optional[str]] = fields.Selection(
        ORDER_STATES, _l("Order status"), related="order_id.state", store=True, index=True)

    @property
    def display_name(self) -> str:
        return f"{self.order.name} / {self.product.name}" if self.order_id else super().display_name

    # -- create / write / unlink ---------------------------------------------------------------

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            refuse_computed(cls, vals, COMPUTED)
            _check_order_is_draft(env, vals.get("order_id"))
        return super().create(env, vals_list)

    @classmethod
    def prepare_new(cls, env: Any, records: list[Any]) -> None:
        super().prepare_new(env, records)
        products = env.sudo()["product.product"].browse_unchecked(  # in one query, kept meanwhile
            list({r.product_id for r in records}))
        for record in records:
            record._fill_from_product(set())
        del products

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, COMPUTED)
        _check_order_is_draft(self.env, self.order_id)
        if "order_id" in vals and vals["order_id"] != self.order_id:
            raise UserError(_("A line cannot move to another order."))
        super().write(vals)
        if "product_id" in vals:
            self._fill_from_product(set(vals) - {"product_id"})

    def unlink(self) -> None:
        _check_order_is_draft(self.env, self.order_id)
        super().unlink()

    # -- defaults and amounts ------------------------------------------------------------------

    def _fill_from_product(self, given: set[str]) -> None:
        """Unit, VAT, description and price from the product, for what the caller left out."""
        session = self.env.session  # (a new line: before its INSERT, relations not loaded)
        product = session.get(self.env.registry["product.product"], self.product_id)
        if product is None:  # no such product: the INSERT or UPDATE is refused as for any link
            return
        if not product.sale_ok:
            raise ValidationError(_("The product %(product)s cannot be sold.",
                                    product=product.display_name))
        uom_cls = self.env.registry["uom.uom"]
        if not self.product_uom:
            self.product_uom = product.uom_id
        line_uom = session.get(uom_cls, self.product_uom)
        product_uom = session.get(uom_cls, product.uom_id)
        if line_uom.category_id != product_uom.category_id:
            raise ValidationError(_("The unit %(unit)s cannot measure %(product)s (sold in "
                                    "%(product_unit)s).", unit=line_uom.name,
                                    product=product.display_name,
                                    product_unit=product_uom.name))
        if self.vat_rate is None:
            self.vat_rate = product.vat_rate
        if not self.name:
            self.name = product.display_name
        if self.price_unit is None or ("product_id" in given and "price_unit" not in given):
            qty = line_uom.compute_quantity_to(Decimal(self.product_uom_qty or 0), product_uom,
                                               round_result=False)
            order = session.get(self.env.registry["sale.order"], self.order_id)
            price = None if order is None else (  # no such order: the INSERT refuses it
                pricelist_price(self.env, order.pricelist_id, product, qty, order.date_order))
            base = Decimal(product.list_price or 0) if price is None else price
            self.price_unit = product_uom.compute_price_to(base, line_uom).quantize(
                Decimal("0.0001"))

    @constrains(*AMOUNT_INPUTS)
    def _check_amount_inputs(self) -> None:
        qty = Decimal(self.product_uom_qty or 0)
        if qty <= 0:
            raise ValidationError(_("The quantity of %(line)s must be positive.",
                                    line=self.name or self.product.display_name))
        discount = Decimal(self.discount or 0)
        if not 0 <= discount <= 100:
            raise ValidationError(_("A discount lies between 0 and 100 percent."))
        if Decimal(self.vat_rate or 0) < 0 or Decimal(self.vat_rate or 0) > 100:
            raise ValidationError(_("The VAT rate lies between 0 and 100 percent."))
        if Decimal(self.price_unit or 0) < 0:
            raise ValidationError(_("The unit price cannot be negative."))


def _check_order_is_draft(env: Any, order_id: int | None) -> None:
    order = env.session.get(env.registry["sale.order"], order_id) if order_id else None
    if order is not None and order.state != "draft":
        raise ValidationError(_("The lines of %(name)s cannot change: it is no longer a quotation.",
                          name=order.display_name))


LINE_MODELS = [SaleOrderLine]
