"""Stock moves: every change of a quantity is a move from one location to another.

A move's demand is ``product_uom_qty`` in its own unit (``product_uom``); ``product_qty`` is the
same demand in the product's unit, which is what quants count. ``quantity`` is what is actually
processed (empty: the whole demand). The state, the reservation and the value are kept by
:mod:`.operations`; the model service refuses them from clients, and a done move cannot change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import constrains, fields
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.models import model_method, utcnow

MOVE_STATES = [
    ("draft", _l("New")),
    ("confirmed", _l("Waiting availability")),
    ("partially_available", _l("Partially available")),
    ("assigned", _l("Available")),
    ("done", _l("Done")),
    ("cancel", _l("Cancelled")),
]
#: kept by the stock operations only
SYSTEM_FIELDS = ("state", "reserved_qty", "value", "product_qty")
#: what a done or cancelled move can no longer change
FROZEN_FIELDS = ("product_id", "product_uom_qty", "product_uom", "quantity", "location_id",
                 "location_dest_id", "price_unit", "picking_id")


class Move:
    _name = "stock.move"
    _description = _l("Stock move")
    _order = "date desc, id desc"

    name: Mapped[Optional[str]] = fields.Char(_l("Description"))
    reference: Mapped[Optional[str]] = fields.Char(_l("Reference"), index=True)
    picking_id: Mapped[Optional[int]] = fields.Many2one("stock.picking", _l("Transfer"),
                                                        ondelete="CASCADE")
    picking_type_id: Mapped[Optional[int]] = fields.Many2one("stock.picking.type",
                                                             _l("Operation type"))
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="RESTRICT")
    product_uom_qty: Mapped[Decimal] = fields.Decimal(_l("Demand"), digits=(16, 4),
                                                      required=True)
    product_uom: Mapped[Optional[int]] = fields.Many2one("uom.uom", _l("Unit"),
                                                         ondelete="RESTRICT", index=False)
    product_qty: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Demand in the product's unit"), digits=(16, 4), readonly=True)
    quantity: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Quantity processed"), digits=(16, 4),
        help=_l("What is actually moved, in the move's unit; empty means the whole demand. "
                "Less than the demand leaves the rest in a backorder."))
    reserved_qty: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Reserved"), digits=(16, 4), readonly=True, default=Decimal(0))
    # required, but filled from the transfer in create(): checked there
    location_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Source location"), ondelete="RESTRICT")
    location_dest_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Destination location"), ondelete="RESTRICT")
    warehouse_id: Mapped[Optional[int]] = fields.Many2one("stock.warehouse", _l("Warehouse"))
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Partner"))
    state: Mapped[str] = fields.Selection(MOVE_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True)
    date: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Date"), index=True,
                                                          default=lambda env: utcnow())
    price_unit: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Unit cost"), digits=(16, 4),
        help=_l("Purchase cost of a receipt; for other moves the moving average cost is "
                "used and written here when the move is done."))
    value: Mapped[Optional[Decimal]] = fields.Monetary(_l("Value"), readonly=True)
    origin: Mapped[Optional[str]] = fields.Char(_l("Source document"))

    @model_method
    @classmethod
    def stock_ledger(cls, env: Any, product_id: int, **options: Any) -> list[dict[str, Any]]:
        """The ledger of a product with its running balance (:func:`.reports.stock_ledger`)."""
        from .reports import stock_ledger

        return stock_ledger(env, product_id, **options)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        pickings = env.registry["stock.picking"]
        for vals in vals_list:
            _refuse_system_fields(vals, creating=True)
            picking = env.session.get(pickings, vals["picking_id"]) if vals.get(
                "picking_id") else None
            if picking is not None:
                if picking.state in ("done", "cancel", "approved"):
                    raise UserError(_("The transfer %(name)s is %(state)s: no line can be "
                                      "added.", name=picking.name, state=picking.state))
                vals.setdefault("location_id", picking.location_id)
                vals.setdefault("location_dest_id", picking.location_dest_id)
                vals.setdefault("picking_type_id", picking.picking_type_id)
                vals.setdefault("partner_id", picking.partner_id)
                vals.setdefault("reference", picking.name)
                vals.setdefault("origin", picking.origin)
                vals.setdefault("warehouse_id", picking.warehouse_id)
            _check_locations(vals)
        return super().create(env, vals_list)

    @classmethod
    def prepare_new(cls, env: Any, records: list[Any]) -> None:
        super().prepare_new(env, records)
        products = {p.id: p for p in env.sudo()["product.product"].browse_unchecked(
            list({r.product_id for r in records if r.product_id}))}  # in one query
        for record in records:
            product = products.get(record.product_id)
            if product is not None and product.type == "service":
                raise ValidationError(_("%(product)s is a service: services are not stocked.",
                                        product=product.name), field="product_id")
            record._fill_defaults()

    def write(self, vals: dict[str, Any]) -> None:
        vals = {k: v for k, v in vals.items() if getattr(self, k, None) != v}  # forms resend all
        _refuse_system_fields(vals, creating=False)
        if self.state in ("done", "cancel") and set(vals) & set(FROZEN_FIELDS):
            raise UserError(_("The move %(name)s is %(state)s and cannot change; make a new "
                              "transfer instead.", name=self.reference or self.name,
                              state=self.state))
        if self.reserved_qty and set(vals) & {"product_id", "location_id", "product_uom"}:
            raise UserError(_("Unreserve %(name)s before changing its product or source.",
                              name=self.reference or self.name))
        super().write(vals)
        if {"product_uom_qty", "product_uom", "product_id"} & set(vals):
            self._fill_defaults()

    def unlink(self) -> None:
        if self.state == "done":
            raise UserError(_("A done move cannot be deleted: it is part of the stock "
                              "history."))
        if self.reserved_qty:
            from .operations import unreserve

            unreserve(self.env, [self])
        super().unlink()

    def _fill_defaults(self) -> None:
        """Unit and name from the product; the demand in the product's unit."""
        product = self._product()
        if product is None:
            return
        if not self.product_uom:
            self.product_uom = product.uom_id
        if not self.name:
            self.name = product.display_name
        self.product_qty = self.to_product_uom(self.product_uom_qty)

    def _product(self) -> Any:
        """The move's product (also before the move's INSERT, when ``product`` is not loaded)."""
        return self.env.session.get(self.env.registry["product.product"],
                                    self.product_id) if self.product_id else None

    def to_product_uom(self, qty: Any) -> Decimal:
        """``qty`` of this move's unit in the product's unit."""
        qty = Decimal(str(qty or 0))
        uom_cls = self.env.registry["uom.uom"]
        product = self._product()
        if not self.product_uom or self.product_uom == product.uom_id:
            return qty
        own, target = (self.env.session.get(uom_cls, self.product_uom),
                       self.env.session.get(uom_cls, product.uom_id))
        if own.category_id != target.category_id:
            raise ValidationError(_("The unit %(unit)s of %(name)s cannot be converted into "
                                    "the product's unit %(target)s.", unit=own.name,
                                    name=self.name or product.name, target=target.name),
                                  field="product_uom")
        return own.compute_quantity_to(qty, target, round_result=False)

    @property
    def processed_qty(self) -> Decimal:
        """The quantity to move, in the move's unit (the demand when nothing was entered)."""
        return Decimal(self.quantity if self.quantity is not None else self.product_uom_qty)

    @constrains("product_uom_qty", "quantity", "product_uom", "product_id")
    def _check_quantities(self) -> None:
        """Quantities are not negative and the unit converts to the product's unit."""
        if self.product_uom_qty is None or self.product_uom_qty < 0:
            raise ValidationError(_("The demand of %(name)s cannot be negative.",
                                    name=self.name), field="product_uom_qty")
        if self.quantity is not None and self.quantity < 0:
            raise ValidationError(_("The processed quantity of %(name)s cannot be negative.",
                                    name=self.name), field="quantity")
        if self.product is not None:
            self.to_product_uom(self.product_uom_qty)  # raises for units of another kind


def _refuse_system_fields(vals: dict[str, Any], creating: bool) -> None:
    for name in SYSTEM_FIELDS:
        if name not in vals:
            continue
        if creating and name == "state" and vals[name] in (None, "draft"):
            continue
        if creating and name == "reserved_qty" and not vals[name]:
            continue
        raise ValidationError(_("%(field)s of a stock move is kept by the system.",
                                field=name), field=name)


def _check_locations(vals: dict[str, Any]) -> None:
    if not vals.get("location_id") or not vals.get("location_dest_id"):
        raise ValidationError(_("A stock move needs a source and a destination location."),
                              field="location_id")
    if vals["location_id"] == vals["location_dest_id"]:
        raise ValidationError(_("A stock move cannot go from a location to itself."),
                              field="location_dest_id")


def moves_of(env: Any, ids: list[int]) -> list[Any]:
    """ORM moves by id, in id order (trusted code)."""
    cls = env.registry["stock.move"]
    return list(env.session.scalars(select(cls).where(cls.id.in_(ids)).order_by(cls.id)))


MOVE_MODELS = [Move]
