"""Warehouses and the location tree.

Every quantity lives in a ``stock.location``; its ``usage`` says what the location stands for:
company stock (``internal``), goods on their way that still belong to the company (``transit``,
the 发出商品 of SA-003), or the outside world (``customer``, ``supplier``, ``production``,
``inventory`` for count differences and losses), and ``view`` folders that hold no stock.

The transit warehouse (``is_transit``) holds one transit location per customer, created on demand
by :meth:`Location.transit_location_for` (see ``docs/addons/stock.md`` for why one location per
customer rather than one shared location with an owner).
"""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import constrains, fields
from core.errors import ValidationError
from core.i18n import _, _l
from core.models import model_method
from core.translate import N_

USAGES = [
    ("view", _l("View")),
    ("internal", _l("Internal location")),
    ("transit", _l("Transit location")),
    ("customer", _l("Customer location")),
    ("supplier", _l("Vendor location")),
    ("production", _l("Production")),
    ("inventory", _l("Inventory loss")),
]
#: locations whose stock belongs to the company: availability is checked and value is kept
VALUED_USAGES = ("internal", "transit")


def _deferred_fk(column: Any, name: str) -> Any:
    """Locations and warehouses point at each other: this side's foreign key is created after
    both tables (``use_alter``), so the tables sort without a cycle."""
    for fk in column.column.foreign_keys:
        fk.use_alter = True
        fk.name = name
    return column


class Location:
    _name = "stock.location"
    _description = _l("Inventory location")
    _order = "complete_name, id"
    _rec_name = "complete_name"
    _parent_name = "location_id"

    name: Mapped[str] = fields.Char(_l("Location name"), required=True, translate=True)
    complete_name: Mapped[Optional[str]] = fields.Char(_l("Full location name"), size=512,
                                                       readonly=True, index=True, translate=True)
    location_id: Mapped[Optional[int]] = fields.Many2one("stock.location", _l("Parent location"),
                                                         ondelete="RESTRICT")
    child_ids = fields.One2many("stock.location", "location_id", _l("Contains"))
    usage: Mapped[str] = fields.Selection(USAGES, _l("Location type"), required=True,
                                          default="internal", index=True)
    warehouse_id: Mapped[Optional[int]] = _deferred_fk(fields.Many2one(
        "stock.warehouse", _l("Warehouse"), ondelete="CASCADE"), "stock_location_warehouse_fk")
    partner_id: Mapped[Optional[int]] = fields.Many2one(
        "res.partner", _l("Customer"), ondelete="RESTRICT",
        help=_l("For a transit location: the customer it stands for (发出商品)."))
    barcode: Mapped[Optional[str]] = fields.Char(_l("Barcode"), size=64, unique=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    def _full_name(self) -> str:
        parent = self.location
        return f"{parent.complete_name or parent.name}/{self.name}" if parent else self.name

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        records = super().create(env, vals_list)
        for record in records:
            if record.location_id and not record.warehouse_id:
                record.warehouse_id = record.location.warehouse_id
            record.complete_name = record._full_name()
        env.session.flush()
        return records

    def write(self, vals: dict[str, Any]) -> None:
        if "usage" in vals and vals["usage"] != self.usage and self._has_moves():
            raise ValidationError(_("The location %(name)s already has stock moves; its type "
                                    "cannot change.", name=self.complete_name), field="usage")
        super().write(vals)
        if "name" in vals or "location_id" in vals:
            self.env.session.flush()
            self._check_recursion()
            self._refresh_names()

    def _has_moves(self) -> bool:
        move = self.env.registry["stock.move"]
        found = self.env.session.scalar(select(move.id).where(
            (move.location_id == self.id) | (move.location_dest_id == self.id)).limit(1))
        return found is not None

    def _refresh_names(self) -> None:
        """Recompute the full names of this location and of everything below it."""
        cls = type(self)
        session = self.env.session
        session.expire(self, ["location"])
        self.complete_name = self._full_name()
        level = [self]
        while level:
            parents = {c.id: c for c in level}
            children = list(session.scalars(select(cls).where(cls.location_id.in_(parents))))
            for child in children:
                child.complete_name = f"{parents[child.location_id].complete_name}/{child.name}"
            level = children
        session.flush()

    @constrains("location_id")
    def _check_recursion(self) -> None:
        """A location cannot contain itself."""
        seen, parent_id = {self.id}, self.location_id
        cls = type(self)
        while parent_id:
            if parent_id in seen:
                raise ValidationError(_("The location %(name)s cannot contain itself.",
                                        name=self.name), field="location_id")
            seen.add(parent_id)
            parent_id = self.env.session.scalar(select(cls.location_id).where(cls.id == parent_id))

    @model_method
    @classmethod
    def transit_location_for(cls, env: Any, partner_id: int) -> int:
        """The transit location standing for customer ``partner_id`` under the 发出商品
        warehouse, created the first time it is needed. Returns its id."""
        partner_id = int(partner_id)
        session = env.session
        found = session.scalar(select(cls.id).where(cls.usage == "transit",
                                                    cls.partner_id == partner_id))
        if found is not None:
            return found
        warehouse_cls = env.registry["stock.warehouse"]
        warehouse = session.scalars(select(warehouse_cls).where(
            warehouse_cls.is_transit.is_(True)).order_by(warehouse_cls.id)).first()
        if warehouse is None:
            raise ValidationError(_("No transit warehouse (发出商品) exists; create a warehouse "
                                    "marked as transit first."))
        partner = env.sudo()["res.partner"].read([partner_id], ["name"])[0]
        return env.sudo()["stock.location"].create({
            "name": partner["name"], "usage": "transit", "partner_id": partner_id,
            "location_id": warehouse.view_location_id, "warehouse_id": warehouse.id})


class Warehouse:
    _name = "stock.warehouse"
    _description = _l("Warehouse")
    _order = "sequence, name"

    name: Mapped[str] = fields.Char(_l("Warehouse"), required=True, translate=True)
    code: Mapped[str] = fields.Char(_l("Short name"), size=8, required=True, unique=True)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Address"))
    is_transit: Mapped[bool] = fields.Boolean(
        _l("Transit warehouse (发出商品)"),
        help=_l("Holds the goods shipped to customers but not yet invoiced: one transit "
                "location per customer, still the company's stock."))
    view_location_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("View location"), readonly=True, ondelete="SET NULL")
    lot_stock_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Stock location"), readonly=True, ondelete="SET NULL")
    user_ids = fields.Many2many(
        "res.users", _l("Restricted to users"), relation="stock_warehouse_users_rel",
        column1="warehouse_id", column2="user_id",
        help=_l("When set, only these users (and stock managers) see and move this "
                "warehouse's transfers."))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            cls._check_unique_code(env, vals.get("code"), None)
        records = super().create(env, vals_list)
        for record in records:
            record._create_locations_and_types()
        env.session.flush()
        return records

    def write(self, vals: dict[str, Any]) -> None:
        if vals.get("code") not in (None, self.code):
            self._check_unique_code(self.env, vals["code"], self.id)
        if "is_transit" in vals and bool(vals["is_transit"]) != self.is_transit:
            raise ValidationError(_("A warehouse cannot become or stop being a transit "
                                    "warehouse; create another one."), field="is_transit")
        super().write(vals)

    @classmethod
    def _check_unique_code(cls, env: Any, code: Any, own_id: int | None) -> None:
        """A clear message for a duplicate short name (the unique index guards races)."""
        query = select(cls.name).where(cls.code == code)
        if own_id is not None:
            query = query.where(cls.id != own_id)
        clash = env.session.scalar(query.limit(1)) if code else None
        if clash is not None:
            raise ValidationError(_("The short name %(code)s is already used by the warehouse "
                                    "%(name)s.", code=code, name=clash), field="code")

    def _create_locations_and_types(self) -> None:
        """The warehouse's view location, its stock location and its transfer types."""
        env = self.env.sudo()
        locations = env["stock.location"]
        self.view_location_id = locations.create({
            "name": self.code, "usage": "view", "warehouse_id": self.id})
        if self.is_transit:
            env["stock.picking.type"].create(_transit_types(self))
            return
        self.lot_stock_id = locations.create({
            "name": N_("Stock"), "usage": "internal", "location_id": self.view_location_id,
            "warehouse_id": self.id})
        env["stock.picking.type"].create(_warehouse_types(self))


def _ref(env: Any, xmlid: str) -> int | None:
    return env.ref_id(xmlid, raise_if_not_found=False)


def _warehouse_types(warehouse: Any) -> list[dict[str, Any]]:
    env, stock = warehouse.env, warehouse.lot_stock_id
    common = {"warehouse_id": warehouse.id}
    return [
        {**common, "name": N_("Receipts"), "code": "incoming", "sequence_code": "IN",
         "default_location_src_id": _ref(env, "stock.stock_location_suppliers"),
         "default_location_dest_id": stock, "sequence": 1},
        {**common, "name": N_("Delivery orders"), "code": "outgoing",
         "sequence_code": "OUT", "default_location_src_id": stock,
         "default_location_dest_id": _ref(env, "stock.stock_location_customers"),
         "sequence": 2},
        {**common, "name": N_("Internal transfers"), "code": "internal",
         "sequence_code": "INT", "default_location_src_id": stock,
         "default_location_dest_id": stock, "sequence": 3},
        {**common, "name": N_("Shipments to transit (发出商品调拨)"), "code": "internal",
         "sequence_code": "TR", "default_location_src_id": stock,
         "to_customer_transit": True, "two_step_approval": True, "require_origin": True,
         "sequence": 4},
    ]


def _transit_types(warehouse: Any) -> list[dict[str, Any]]:
    env = warehouse.env
    return [{"warehouse_id": warehouse.id, "name": N_("Invoiced goods out of transit"),
             "code": "outgoing", "sequence_code": "TC", "sequence": 1,
             "default_location_dest_id": _ref(env, "stock.stock_location_customers")}]


LOCATION_MODELS = [Location, Warehouse]
