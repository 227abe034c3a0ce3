"""What production adds to stock: moves and material issues know their manufacturing order,
products may be made to order, and every new warehouse gets its material issue type."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l
from core.translate import N_


class StockMove:
    _inherit = "stock.move"

    raw_material_production_id: Mapped[Optional[int]] = fields.Many2one(
        "mrp.production", _l("Component of order"), readonly=True, index=True,
        ondelete="SET NULL")
    production_id: Mapped[Optional[int]] = fields.Many2one(
        "mrp.production", _l("Finished goods of order"), readonly=True, index=True,
        ondelete="SET NULL")


class StockPicking:
    _inherit = "stock.picking"

    production_id: Mapped[Optional[int]] = fields.Many2one(
        "mrp.production", _l("Manufacturing order"), readonly=True, index=True,
        ondelete="SET NULL")

    def _create_backorder(self, rest: list[tuple[Any, Any]]) -> int:
        """A material issue's backorder stays the order's: its moves are components of it."""
        backorder_id = super()._create_backorder(rest)
        if self.production_id:
            env = self.env
            picking = env.session.get(env.registry["stock.picking"], backorder_id)
            picking.production_id = self.production_id
            move = env.registry["stock.move"]
            for record in env.session.scalars(select(move).where(
                    move.picking_id == backorder_id)):
                record.raw_material_production_id = self.production_id
            env.session.flush()
        return backorder_id


class Product:
    _inherit = "product.product"

    produce_to_order: Mapped[bool] = fields.Boolean(
        _l("Make to order (按单生产)"),
        help=_l("Material planning proposes one manufacturing order per sales order line "
                "instead of netting the demand against the stock."))


class Warehouse:
    _inherit = "stock.warehouse"

    def _create_locations_and_types(self) -> None:
        super()._create_locations_and_types()
        if self.is_transit:
            return
        env = self.env.sudo()
        if env.ref_id("stock.stock_location_production", raise_if_not_found=False) is not None:
            env["stock.picking.type"].create(issue_type_values(env, self.id, self.lot_stock_id))


def issue_type_values(env: Any, warehouse_id: int, stock_location_id: int) -> dict[str, Any]:
    """The material issue type of a warehouse: its stock to the production location."""
    return {"name": N_("Material issue"), "code": "internal", "sequence_code": "MI",
            "warehouse_id": warehouse_id, "default_location_src_id": stock_location_id,
            "default_location_dest_id": env.ref_id("stock.stock_location_production"),
            "sequence": 5}


STOCK_MODELS = [StockMove, StockPicking, Product, Warehouse]
