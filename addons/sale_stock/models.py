"""What the glue adds to transfers and moves: the sales documents behind them."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l


class PickingSale:
    _inherit = "stock.picking"

    sale_id: Mapped[Optional[int]] = fields.Many2one("sale.order", _l("Sales order"),
                                                     readonly=True, ondelete="RESTRICT")
    delivery_notice_id: Mapped[Optional[int]] = fields.Many2one(
        "sale.delivery.notice", _l("Delivery notice"), readonly=True, ondelete="RESTRICT")
    invoice_notice_id: Mapped[Optional[int]] = fields.Many2one(
        "sale.invoice.notice", _l("Invoicing notice"), readonly=True, ondelete="RESTRICT")

    def _after_cancel(self, ctx: Any) -> None:
        """A cancelled transfer of a notice may leave its other transfers all done: ship it
        (a workflow callback: runs whichever door cancelled the transfer)."""
        super()._after_cancel(ctx)
        if self.delivery_notice_id:
            from .flows import ship_notice_when_complete

            ship_notice_when_complete(self.env, self.delivery_notice_id)

    def _create_backorder(self, rest: list[tuple[Any, Any]]) -> int:
        """The backorder keeps the sales documents (and lines) of the transfer it continues."""
        backorder_id = super()._create_backorder(rest)
        backorder = self.env.session.get(type(self), backorder_id)
        backorder.sale_id = self.sale_id
        backorder.delivery_notice_id = self.delivery_notice_id
        move_cls = self.env.registry["stock.move"]
        links = {m.product_id: (m.sale_line_id, m.notice_line_id) for m, _qty in rest}
        for move in self.env.session.scalars(select(move_cls).where(
                move_cls.picking_id == backorder_id)):
            move.sale_line_id, move.notice_line_id = links.get(move.product_id, (None, None))
        return backorder_id


class MoveSale:
    _inherit = "stock.move"

    sale_line_id: Mapped[Optional[int]] = fields.Many2one("sale.order.line", _l("Order line"),
                                                          readonly=True, ondelete="SET NULL")
    notice_line_id: Mapped[Optional[int]] = fields.Many2one(
        "sale.delivery.notice.line", _l("Delivery notice line"), readonly=True,
        ondelete="SET NULL")


MODELS = [PickingSale, MoveSale]
