"""Bills of materials: what one batch of a product takes (components with a scrap rate), what
else it yields (by-products with their share of the cost), and how it is made (operations on
work centres). A product may have several versions, each valid from a date; the newest valid one
applies. ``phantom`` bills (kits) are flattened into the bill using them.

The explosion lives in :mod:`..explosion`; this module keeps the records consistent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import constrains, fields
from core.errors import ValidationError
from core.i18n import _, _l

from ..units import ProductUnit

BOM_TYPES = [("normal", _l("Manufacture this product")), ("phantom", _l("Kit (phantom)"))]


class Bom(ProductUnit):
    _name = "mrp.bom"
    _description = _l("Bill of materials")
    _order = "product_id, sequence, version desc, id"
    _rec_name = "code"
    _rec_names_search = ("code", "product_id")

    code: Mapped[Optional[str]] = fields.Char(
        _l("Reference"), size=64, index=True,
        help=_l("Empty: the product's internal reference (else its name)."))
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="RESTRICT", index=True)
    product_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 4),
                                                  default=Decimal(1),
                                                  help=_l("The batch the quantities below "
                                                          "make, in the unit beside."))
    product_uom_id: Mapped[Optional[int]] = fields.Many2one(
        "uom.uom", _l("Unit"), help=_l("Empty: the product's unit; else one of its kind."))
    type: Mapped[str] = fields.Selection(BOM_TYPES, _l("BoM type"), default="normal",
                                         required=True)
    version: Mapped[int] = fields.Integer(_l("Version"), default=1)
    date_start: Mapped[Optional[dt.date]] = fields.Date(_l("Valid from"))
    produce_delay: Mapped[int] = fields.Integer(
        _l("Manufacturing lead time (days)"), default=1,
        help=_l("Days between the start of an order and its finished goods; material "
                "planning starts orders this many days before they are needed."))
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    bom_line_ids = fields.One2many("mrp.bom.line", "bom_id", _l("Components"))
    byproduct_ids = fields.One2many("mrp.bom.byproduct", "bom_id", _l("By-products"))
    operation_ids = fields.One2many("mrp.routing.workcenter", "bom_id", _l("Operations"))
    standard_cost: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Standard cost per unit"), compute="_compute_standard_cost",
        help=_l("Components at their current cost (scrap included) plus the operations' "
                "labour and overhead, less the by-products' share, per unit."))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        records = super().create(env, vals_list)
        for record in records:
            record.code = record.code or record.product.default_code or record.product.name
        return records

    def write(self, vals: dict[str, Any]) -> None:
        super().write(vals)
        if "product_id" in vals:
            self.env.session.flush()
            for line in self.bom_line_ids:
                line._check_cycle()

    def _compute_standard_cost(self) -> None:
        from ..explosion import standard_unit_cost

        self.standard_cost = standard_unit_cost(self.env, self.id) if self.id else None

    @constrains("product_qty", "produce_delay", "version")
    def _check_quantity(self) -> None:
        """A bill makes a positive quantity; lead time and version are not negative."""
        if self.product_qty is None or self.product_qty <= 0:
            raise ValidationError(_("The quantity of a bill of materials must be positive."),
                                  field="product_qty")
        if (self.produce_delay or 0) < 0 or (self.version or 0) < 0:
            raise ValidationError(_("Lead time and version cannot be negative."),
                                  field="produce_delay")


class BomLine(ProductUnit):
    _name = "mrp.bom.line"
    _description = _l("Component")
    _order = "bom_id, sequence, id"
    _rules_from = "bom_id"

    bom_id: Mapped[int] = fields.Many2one("mrp.bom", _l("Bill of materials"), required=True,
                                          ondelete="CASCADE")
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Component"),
                                              required=True, ondelete="RESTRICT", index=True)
    product_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 4),
                                                  default=Decimal(1))
    product_uom_id: Mapped[Optional[int]] = fields.Many2one("uom.uom", _l("Unit"))
    scrap_rate: Mapped[Decimal] = fields.Decimal(
        _l("Scrap rate (%)"), digits=(5, 2), default=Decimal(0),
        help=_l("Expected loss: the quantity issued is the quantity × (1 + rate / 100)."))

    @constrains("product_qty", "scrap_rate")
    def _check_quantity(self) -> None:
        """Positive quantity, scrap rate from 0 to below 100 %."""
        if self.product_qty is None or self.product_qty <= 0:
            raise ValidationError(_("The quantity of the component %(product)s must be "
                                    "positive.", product=self.product.display_name),
                                  field="product_qty")
        if self.scrap_rate is None or not Decimal(0) <= self.scrap_rate < Decimal(100):
            raise ValidationError(_("The scrap rate of %(product)s must lie from 0 to below "
                                    "100 percent.", product=self.product.display_name),
                                  field="scrap_rate")

    @constrains("product_id", "bom_id")
    def _check_cycle(self) -> None:
        """A product cannot be its own component, at any level."""
        env = self.env
        bom_cls, line_cls = env.registry["mrp.bom"], env.registry["mrp.bom.line"]
        target = env.session.scalar(select(bom_cls.product_id).where(bom_cls.id == self.bom_id))
        level, seen = {self.product_id}, set()
        while level:
            if target in level:
                raise ValidationError(_("%(product)s cannot be a component of itself (directly "
                                        "or through its components' bills).",
                                        product=self.product.display_name), field="product_id")
            seen |= level
            level = set(env.session.scalars(select(line_cls.product_id).join(
                bom_cls, bom_cls.id == line_cls.bom_id).where(
                bom_cls.product_id.in_(level), bom_cls.active.is_(True)))) - seen


class BomByproduct(ProductUnit):
    _name = "mrp.bom.byproduct"
    _description = _l("By-product")
    _order = "bom_id, id"
    _rules_from = "bom_id"

    bom_id: Mapped[int] = fields.Many2one("mrp.bom", _l("Bill of materials"), required=True,
                                          ondelete="CASCADE")
    product_id: Mapped[int] = fields.Many2one("product.product", _l("By-product"),
                                              required=True, ondelete="RESTRICT")
    product_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 4),
                                                  default=Decimal(1))
    product_uom_id: Mapped[Optional[int]] = fields.Many2one("uom.uom", _l("Unit"))
    cost_share: Mapped[Decimal] = fields.Decimal(
        _l("Cost share (%)"), digits=(5, 2), default=Decimal(0),
        help=_l("Part of the order's cost the by-product carries into stock."))

    @constrains("product_qty", "cost_share")
    def _check_share(self) -> None:
        """Positive quantity; the shares of a bill's by-products stay below 100 %."""
        if self.product_qty is None or self.product_qty <= 0:
            raise ValidationError(_("The quantity of a by-product must be positive."),
                                  field="product_qty")
        cls = type(self)
        self.env.session.flush()
        total = sum(Decimal(s or 0) for s in self.env.session.scalars(
            select(cls.cost_share).where(cls.bom_id == self.bom_id)))
        if self.cost_share is None or self.cost_share < 0 or total >= 100:
            raise ValidationError(_("The by-products' cost shares must be 0 or more and stay "
                                    "below 100 percent together."), field="cost_share")


BOM_MODELS = [Bom, BomLine, BomByproduct]
