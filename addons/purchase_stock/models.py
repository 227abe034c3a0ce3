"""What the glue adds: the purchase order behind receipts and returns, the order line behind
each move, inspections (来料检验) and reorder rules that request purchases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import fields, public
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.models import model_method
from core.workflow import Transition, Workflow

INSPECTORS = ("stock.group_inspector",)


class PickingPurchase:
    _inherit = "stock.picking"

    purchase_id: Mapped[Optional[int]] = fields.Many2one(
        "purchase.order", _l("Purchase order"), readonly=True, ondelete="RESTRICT", index=True)
    is_purchase_return: Mapped[bool] = fields.Boolean(_l("Return to supplier"), readonly=True)

    def _before_validate(self, ctx: Any) -> None:
        """A receipt never takes more than its order lines still wait for: the lines are locked
        (``FOR UPDATE``) and read afresh, so of two receipts of the last open quantity the
        second waits for the first and is refused."""
        super()._before_validate(ctx)
        if self.purchase_id and not self.is_purchase_return:
            from .flows import check_open_quantities

            check_open_quantities(self.env, self)

    def _finish(self) -> None:
        super()._finish()
        if self.purchase_id:
            from .flows import receipt_done

            receipt_done(self.env.sudo(), self)

    def _create_backorder(self, rest: list[tuple[Any, Any]]) -> int:
        """The backorder keeps the order (and lines) of the receipt it continues."""
        backorder_id = super()._create_backorder(rest)
        backorder = self.env.session.get(type(self), backorder_id)
        backorder.purchase_id = self.purchase_id
        backorder.is_purchase_return = self.is_purchase_return
        move_cls = self.env.registry["stock.move"]
        links = {m.product_id: m.purchase_line_id for m, _qty in rest}
        for move in self.env.session.scalars(select(move_cls).where(
                move_cls.picking_id == backorder_id)):
            move.purchase_line_id = links.get(move.product_id)
        return backorder_id


class MovePurchase:
    _inherit = "stock.move"

    purchase_line_id: Mapped[Optional[int]] = fields.Many2one(
        "purchase.order.line", _l("Purchase order line"), readonly=True, ondelete="SET NULL",
        index=True)


class OrderReceipts:
    _inherit = "purchase.order"

    picking_ids = fields.One2many("stock.picking", "purchase_id", _l("Receipts and returns"))

    @public
    def action_create_receipt(self) -> int | None:
        """A receipt for what is still to receive (after returns), when none is open;
        returns its id."""
        from .flows import sync_receipt

        if self.state != "purchase":
            raise UserError(_("Only an approved order is received."))
        return sync_receipt(self.env.sudo(), self)

    action_create_receipt.__kangyi_check__ = "read"  # type: ignore[attr-defined]


INSPECTION_STATES = [("draft", _l("To inspect")), ("done", _l("Inspected"))]


class Inspection:
    """The inspection (来料检验) of a done receipt: accepted and rejected quantities per line,
    each rejection with its reason; confirming sends the rejected goods back."""

    _name = "purchase.inspection"
    _description = _l("Incoming inspection")
    _order = "id desc"
    _workflow = Workflow(transitions=(
        Transition("confirm", "draft", "done", _l("Confirm the inspection"),
                   groups=INSPECTORS),))

    name: Mapped[Optional[str]] = fields.Char(_l("Reference"), readonly=True)
    picking_id: Mapped[int] = fields.Many2one("stock.picking", _l("Receipt"), required=True,
                                              readonly=True, ondelete="CASCADE", index=True)
    purchase_id: Mapped[Optional[int]] = fields.Many2one("purchase.order", _l("Purchase order"),
                                                         readonly=True)
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Supplier"),
                                                        readonly=True)
    line_ids = fields.One2many("purchase.inspection.line", "inspection_id", _l("Lines"))
    return_picking_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.picking", _l("Return to supplier"), readonly=True)
    inspector_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Inspector"),
                                                          readonly=True)
    state: Mapped[str] = fields.Selection(INSPECTION_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True)

    def _before_confirm(self, ctx: Any) -> None:
        for line in self.lines():
            line.check()

    def _after_confirm(self, ctx: Any) -> None:
        from .flows import return_rejected

        self.inspector_id = ctx.env.uid
        self.return_picking_id = return_rejected(self.env.sudo(), self)

    def lines(self) -> list[Any]:
        cls = self.env.registry["purchase.inspection.line"]
        return list(self.env.session.scalars(select(cls).where(
            cls.inspection_id == self.id).order_by(cls.id)))


class InspectionLine:
    _name = "purchase.inspection.line"
    _description = _l("Incoming inspection line")
    _order = "inspection_id, id"
    _rules_from = "inspection_id"

    inspection_id: Mapped[int] = fields.Many2one("purchase.inspection", _l("Inspection"),
                                                 required=True, ondelete="CASCADE")
    move_id: Mapped[Optional[int]] = fields.Many2one("stock.move", _l("Receipt move"),
                                                     readonly=True)
    purchase_line_id: Mapped[Optional[int]] = fields.Many2one(
        "purchase.order.line", _l("Purchase order line"), readonly=True)
    product_id: Mapped[Optional[int]] = fields.Many2one("product.product", _l("Product"),
                                                        readonly=True)
    qty_received: Mapped[Decimal] = fields.Decimal(_l("Received"), digits=(16, 4),
                                                   readonly=True, default=Decimal(0))
    qty_accepted: Mapped[Decimal] = fields.Decimal(_l("Accepted"), digits=(16, 4),
                                                   default=Decimal(0))
    qty_rejected: Mapped[Decimal] = fields.Decimal(_l("Rejected"), digits=(16, 4),
                                                   default=Decimal(0))
    reject_reason: Mapped[Optional[str]] = fields.Char(_l("Reason for rejection"))

    def write(self, vals: dict[str, Any]) -> None:
        if self.inspection.state != "draft" and set(vals) - {"inspection_id"}:
            raise ValidationError(_("The inspection is confirmed and cannot change."))
        accepted_given = "qty_accepted" in vals and Decimal(
            str(vals["qty_accepted"] or 0)) != Decimal(self.qty_accepted or 0)
        if "qty_rejected" in vals and not accepted_given:  # the rest is accepted
            rejected = Decimal(str(vals["qty_rejected"] or 0))
            vals = {**vals, "qty_accepted": Decimal(self.qty_received) - rejected}
        super().write(vals)

    def check(self) -> None:
        accepted, rejected = Decimal(self.qty_accepted or 0), Decimal(self.qty_rejected or 0)
        if accepted < 0 or rejected < 0 or accepted + rejected != Decimal(self.qty_received):
            raise ValidationError(_("%(product)s: accepted and rejected quantities must add up "
                                    "to the %(qty)s received.", product=self.product.name,
                                    qty=f"{Decimal(self.qty_received).normalize():f}"),
                                  field="qty_accepted")
        if rejected and not (self.reject_reason or "").strip():
            raise ValidationError(_("%(product)s: a rejection needs a reason.",
                                    product=self.product.name), field="reject_reason")


class OrderpointPurchase:
    _inherit = "stock.warehouse.orderpoint"

    @model_method
    @classmethod
    def create_purchase_requests(cls, env: Any, warehouse_id: int | None = None) -> int | None:
        """The replenishment function: one purchase request (submitted for approval) for the
        reorder rules below their minimum, up to their maximum; products already on an open
        request are left out. Returns the request id (None: nothing to request). Scheduled
        jobs call it; the stock manager's button too."""
        env["stock.warehouse.orderpoint"]._check_ids([], "read")
        rules = env["stock.warehouse.orderpoint"].low_stock(warehouse_id)
        needs = [{"product_id": r["product_id"][0], "product_qty": r["qty_to_order"],
                  "reason": _("Below the minimum of %(rule)s", rule=r["product_id"][1])}
                 for r in rules if r["qty_to_order"]]
        return env.sudo()["purchase.request"].create_from_needs(
            needs, origin="reorder", description=_("Replenishment from reorder rules"))

    @public
    def action_request_purchase(self) -> int | None:
        """Request the purchases of every rule of this warehouse below its minimum."""
        return type(self).create_purchase_requests(self.env, self.warehouse_id)

    action_request_purchase.__kangyi_check__ = "read"  # type: ignore[attr-defined]


MODELS = [PickingPurchase, MovePurchase, OrderReceipts, Inspection, InspectionLine,
          OrderpointPurchase]
