"""Delivery notices (发货通知单), SA-003 step 2.

The sales assistant creates a notice from an approved order (all quantities not yet on a notice;
lower them for a partial delivery) and approves it (审核). If the stock addon is installed, its
glue answers the ``delivery_notice_approved`` hook with the warehouse transfer it made and ships
the notice when the transfer is done; otherwise the assistant marks the notice shipped by hand.
Shipped quantities roll up to the order lines (:mod:`.progress`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import constrains, fields, public
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.workflow import Transition, Workflow

from .common import (
    changed_values,
    check_notice_is_draft,
    check_notice_quantities,
    next_number,
    refuse_computed,
    remaining_on_notices,
    require_state,
    today,
)
from .order import ASSISTANT

NOTICE_STATES = [("draft", _l("Draft")), ("approved", _l("Approved")),
                 ("done", _l("Shipped")), ("cancel", _l("Cancelled"))]

NOTICE_WORKFLOW = Workflow(transitions=(
    Transition("approve", "draft", "approved", _l("Approve (审核)"), groups=(ASSISTANT,)),
    Transition("ship", "approved", "done", _l("Mark shipped"), groups=(ASSISTANT,)),
    Transition("cancel", ("draft", "approved"), "cancel", _l("Cancel"), groups=(ASSISTANT,)),
))
COMPUTED = ("date_done", "shipping_ref")


class DeliveryNotice:
    _name = "sale.delivery.notice"
    #: the users owning a document, for the data scopes of posts (hr)
    _scope_fields = ("order_id.user_id", "user_id")
    _description = _l("Delivery notice")
    _order = "id desc"
    _workflow = NOTICE_WORKFLOW

    name: Mapped[Optional[str]] = fields.Char(_l("Number"), size=64, index=True, readonly=True)
    order_id: Mapped[int] = fields.Many2one("sale.order", _l("Sales order"), required=True,
                                            ondelete="RESTRICT")
    partner_id: Mapped[Optional[int]] = fields.Many2one(
        "res.partner", _l("Customer"), related="order_id.partner_id", store=True)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Sales assistant"),
                                                     default=lambda env: env.uid)
    scheduled_date: Mapped[Optional[dt.date]] = fields.Date(_l("Delivery date"),
                                                            default=lambda env: today())
    date_done: Mapped[Optional[dt.date]] = fields.Date(_l("Shipped on"), readonly=True)
    delivery_address: Mapped[Optional[str]] = fields.Text(_l("Delivery address"))
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    state: Mapped[str] = fields.Selection(NOTICE_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True)
    shipping_ref: Mapped[Optional[str]] = fields.Char(
        _l("Warehouse transfer"), size=128, readonly=True,
        help=_l("The stock document that ships this notice, when the stock addon is installed."))
    line_ids = fields.One2many("sale.delivery.notice.line", "notice_id", _l("Lines"))

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        order_cls = env.registry["sale.order"]
        for vals in vals_list:
            refuse_computed(cls, vals, COMPUTED)
            order = env.session.get(order_cls, vals.get("order_id"))
            if order is not None:
                require_state(order, ("sale",), _("Delivering"))
            vals["name"] = vals.get("name") or next_number(env, "sale.delivery.notice")
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, COMPUTED)
        if set(vals) - {"state", "note"} and self.state != "draft":
            raise ValidationError(_("%(name)s is no longer a draft and cannot change.",
                              name=self.display_name))
        if "order_id" in vals and vals["order_id"] != self.order_id:
            raise UserError(_("A notice cannot move to another order."))
        super().write(vals)

    def unlink(self) -> None:
        if self.state != "draft":
            raise UserError(_("Only draft notices can be deleted; cancel %(name)s instead.",
                              name=self.display_name))
        super().unlink()

    @public
    def action_ship(self) -> str:
        """Mark the goods shipped by hand (when no warehouse transfer ships them)."""
        if self.shipping_ref:
            raise UserError(_("%(name)s is shipped by the warehouse transfer %(ref)s; it "
                              "completes when the warehouse validates it.",
                              name=self.display_name, ref=self.shipping_ref))
        return self.workflow_action("ship")

    action_ship.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    def _ship(self, quantities: dict[int, Any] | None = None) -> str:
        """For the stock glue: the transfer is done; ``quantities`` ({notice line id: qty})
        lowers lines that shipped less. Not public: stock calls it in Python."""
        from core.workflow_engine import take_transition

        line_cls = self.env.registry["sale.delivery.notice.line"]
        for line_id, qty in (quantities or {}).items():
            line = self.env.session.get(line_cls, int(line_id))
            if line is None or line.notice_id != self.id:
                raise ValidationError(_("The line %(line)s is not on %(name)s.", line=line_id,
                                        name=self.display_name))
            qty = Decimal(str(qty))
            if qty < 0 or qty > line.product_uom_qty:
                raise ValidationError(_("Shipped quantities lie between 0 and the quantity of "
                                        "the notice line."))
            line.product_uom_qty = qty
        self._by_warehouse = True
        try:
            return take_transition(self.env.sudo(), self._name, self.id, "ship")
        finally:
            self._by_warehouse = False


class DeliveryNoticeLine:
    _name = "sale.delivery.notice.line"
    _rules_from = "notice_id"
    _description = _l("Delivery notice line")
    _order = "notice_id, id"

    notice_id: Mapped[int] = fields.Many2one("sale.delivery.notice", _l("Delivery notice"),
                                             required=True, ondelete="CASCADE")
    order_line_id: Mapped[int] = fields.Many2one("sale.order.line", _l("Order line"),
                                                 required=True, ondelete="RESTRICT")
    product_id: Mapped[Optional[int]] = fields.Many2one("product.product", _l("Product"),
                                                        readonly=True)
    product_uom: Mapped[Optional[int]] = fields.Many2one("uom.uom", _l("Unit"), readonly=True)
    product_uom_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 3),
                                                      required=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        line_cls = env.registry["sale.order.line"]
        for vals in vals_list:
            refuse_computed(cls, vals, ("product_id", "product_uom"))
            check_notice_is_draft(env, "sale.delivery.notice", vals.get("notice_id"))
            order_line = env.session.get(line_cls, vals.get("order_line_id"))
            if order_line is not None:
                vals["product_id"] = order_line.product_id
                vals["product_uom"] = order_line.product_uom
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, ("product_id", "product_uom", "order_line_id",
                                           "notice_id"))
        check_notice_is_draft(self.env, "sale.delivery.notice", self.notice_id)
        super().write(vals)

    def unlink(self) -> None:
        check_notice_is_draft(self.env, "sale.delivery.notice", self.notice_id)
        super().unlink()

    @classmethod
    @constrains("product_uom_qty", "order_line_id", batch=True)
    def _check_quantity(cls, lines: list[Any]) -> None:
        """Positive, on the notice's order, and within what is not yet on another notice."""
        check_notice_quantities(
            lines, "product_uom_qty", lambda ol: ol.product_uom_qty,
            _("Quantities on a delivery notice must be positive."),
            lambda **values: _("%(product)s: %(qty)s is more than the %(left)s left to "
                               "deliver.", **values))


def remaining_to_deliver_of(env: Any, order_lines: list[Any], exclude_line: int | None = None
                            ) -> dict[int, Decimal]:
    """Per order line id: the ordered quantity less what non-cancelled delivery notices
    already carry, in one query."""
    return remaining_on_notices(env, "sale.delivery.notice.line", "product_uom_qty", order_lines,
                                lambda ol: ol.product_uom_qty, exclude_line)


def create_notice_from_order(env: Any, order: Any) -> int:
    """A draft delivery notice for every goods line of ``order`` with quantity left to deliver."""
    require_state(order, ("sale",), _("Delivering"))
    order_lines = env.sudo()["sale.order.line"]
    found = order_lines.browse_unchecked(order_lines.search([("order_id", "=", order.id)]))
    products = {p.id: p for p in env.sudo()["product.product"].browse_unchecked(
        list({ol.product_id for ol in found}))}
    goods = [ol for ol in found if products[ol.product_id].type != "service"]
    left = remaining_to_deliver_of(env, goods) if goods else {}
    lines = [(0, 0, {"order_line_id": ol.id, "product_uom_qty": left[ol.id]})
             for ol in goods if left[ol.id] > 0]
    if not lines:
        raise UserError(_("Everything on %(name)s is already on a delivery notice.",
                          name=order.display_name))
    partner = env.session.get(env.registry["res.partner"], order.partner_id)
    address = ", ".join(p for p in (partner.street, partner.city) if p) or False
    return env["sale.delivery.notice"].create({
        "order_id": order.id, "line_ids": lines, "delivery_address": address,
        "scheduled_date": order.commitment_date or today()})


DELIVERY_MODELS = [DeliveryNotice, DeliveryNoticeLine]
