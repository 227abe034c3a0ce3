"""On-hand quantities (``stock.quant``): one row per product and location, derived from done moves.

Nobody writes quants through the model service (``_engine_only``): :mod:`.operations` changes
them in the same transaction as the moves it marks done, so for every product and location the
quant's ``quantity`` equals the done moves in minus the done moves out, and its ``value`` the
values in minus the values out. Virtual locations (customers, vendors, inventory loss) have quants
too, usually negative: the whole system sums to zero, like double-entry bookkeeping.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import UniqueConstraint, and_, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped

from core import depends, fields
from core.i18n import _l
from core.models import model_method

from .location import USAGES


class Quant:
    _name = "stock.quant"
    _description = _l("Quantity on hand")
    _order = "location_id, product_id"
    _engine_only = True
    __table_args__ = (UniqueConstraint("product_id", "location_id",
                                       name="stock_quant_product_location_uniq"),)

    name: Mapped[Optional[str]] = fields.Char(_l("Description"), size=512, readonly=True)
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="RESTRICT")
    location_id: Mapped[int] = fields.Many2one("stock.location", _l("Location"), required=True,
                                               ondelete="RESTRICT")
    warehouse_id: Mapped[Optional[int]] = fields.Many2one("stock.warehouse", _l("Warehouse"),
                                                          ondelete="SET NULL")
    usage: Mapped[Optional[str]] = fields.Selection(USAGES, _l("Location type"), index=True)
    categ_id: Mapped[Optional[int]] = fields.Many2one("product.category", _l("Product category"),
                                                      ondelete="SET NULL")
    quantity: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 4),
                                               default=Decimal(0))
    reserved_quantity: Mapped[Decimal] = fields.Decimal(_l("Reserved quantity"), digits=(16, 4),
                                                        default=Decimal(0))
    available_quantity: Mapped[Decimal] = fields.Decimal(
        _l("Available quantity"), digits=(16, 4), compute="_compute_available", store=True,
        help=_l("On hand minus reserved."))
    value: Mapped[Decimal] = fields.Monetary(_l("Value"), default=Decimal(0))

    @model_method
    @classmethod
    def stock_value(cls, env: Any, groupby: str = "warehouse_id") -> list[dict[str, Any]]:
        """Stock value by warehouse, location… (:func:`.reports.stock_value`)."""
        from .reports import stock_value

        return stock_value(env, groupby)

    def add(self, quantity: Decimal = Decimal(0), reserved: Decimal = Decimal(0),
            value: Decimal = Decimal(0)) -> None:
        """Change the quantity, reservation and value by the given deltas."""
        self.quantity = Decimal(self.quantity or 0) + quantity
        self.reserved_quantity = Decimal(self.reserved_quantity or 0) + reserved
        self.value = Decimal(self.value or 0) + value

    def available(self) -> Decimal:
        """On hand minus reserved, as it is now (``available_quantity`` is stored at the next
        flush)."""
        return Decimal(self.quantity or 0) - Decimal(self.reserved_quantity or 0)

    @depends("quantity", "reserved_quantity")
    def _compute_available(self) -> None:
        self.available_quantity = self.available()


def lock_quants(env: Any, keys: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """The quants of ``keys`` (``(product_id, location_id)``), created when missing and locked
    (``SELECT … FOR UPDATE``) in id order until the transaction ends, re-read from the database.

    On PostgreSQL a second transaction asking for the same rows waits here until the first
    commits, then sees its result. SQLite lets one writer at a time.
    """
    if not keys:
        return {}
    registry, session = env.registry, env.session
    quant_cls, location_cls = registry["stock.quant"], registry["stock.location"]
    product_cls = registry["product.product"]
    condition = or_(*(and_(quant_cls.product_id == p, quant_cls.location_id == loc)
                      for p, loc in sorted(keys)))
    existing = {(p, loc) for p, loc in session.execute(
        select(quant_cls.product_id, quant_cls.location_id).where(condition))}
    missing = sorted(keys - existing)
    if missing:
        locations = {row.id: row for row in session.execute(
            select(location_cls.id, location_cls.usage, location_cls.warehouse_id,
                   location_cls.complete_name).where(
                location_cls.id.in_({loc for _p, loc in missing})))}
        products = {row.id: row for row in session.execute(
            select(product_cls.id, product_cls.categ_id, product_cls.name,
                   product_cls.default_code).where(
                product_cls.id.in_({p for p, _loc in missing})))}
        fresh = []
        for product_id, location_id in missing:
            location, product = locations[location_id], products[product_id]
            code = f"[{product.default_code}] " if product.default_code else ""
            fresh.append(dict(
                name=f"{code}{product.name} @ {location.complete_name}"[:512],
                product_id=product_id, location_id=location_id,
                warehouse_id=location.warehouse_id, usage=location.usage,
                categ_id=product.categ_id, quantity=Decimal(0), reserved_quantity=Decimal(0),
                available_quantity=Decimal(0), value=Decimal(0), create_uid=env.uid,
                write_uid=env.uid))
        _insert_quants(session, quant_cls, fresh)
    rows = session.scalars(select(quant_cls).where(condition).order_by(quant_cls.id)
                           .with_for_update().execution_options(populate_existing=True))
    return {(q.product_id, q.location_id): q for q in rows}


def _insert_quants(session: Any, quant_cls: Any, rows: list[dict[str, Any]]) -> None:
    """Insert the new quants in one statement; if another transaction created some meanwhile
    (unique index), insert them one by one and keep theirs."""
    try:
        with session.begin_nested():
            session.execute(insert(quant_cls), rows)
        return
    except IntegrityError:
        pass
    for row in rows:
        try:
            with session.begin_nested():
                session.execute(insert(quant_cls), [row])
        except IntegrityError:
            pass  # another transaction created it: we lock theirs


QUANT_MODELS = [Quant]
