"""Transfers (``stock.picking``): receipts, deliveries, internal and transit transfers.

One-step transfers are confirmed, reserved (``action_assign``) and validated
(``button_validate``). Transfers whose type asks for two approvals follow SA-003 step 3: the
warehouse keeper gives the first approval (一审), which checks that an approved order stands
behind the transfer and reserves the goods (they leave the warehouse), and the shipping inspector
gives the second (二审), which moves the quantities and completes the transfer. The state changes
through the core workflow engine (:mod:`core.workflow`), which records who, when and why.

Processing less than the demand leaves the rest in a backorder (or cancels it on request).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import fields, public
from core.children import children
from core.errors import AccessError, UserError, ValidationError
from core.i18n import _, _l
from core.integrity import engine_env
from core.models import utcnow
from core.security import group_names
from core.workflow import Transition, Workflow

from . import operations, picking_flow
from .picking_type import TYPE_CODES

PICKING_STATES = [
    ("draft", _l("Draft")),
    ("confirmed", _l("Waiting")),
    ("assigned", _l("Ready")),
    ("approved", _l("Shipped, awaiting inspection")),
    ("done", _l("Done")),
    ("cancel", _l("Cancelled")),
]
KEEPERS = ("stock.group_keeper", "stock.group_manager")
INSPECTORS = ("stock.group_inspector",)
OPEN = ("draft", "confirmed", "assigned")


def _two_step(picking: Any) -> bool:
    return bool(picking.picking_type.two_step_approval)


class Picking(picking_flow.PickingFlow):
    _name = "stock.picking"
    _description = _l("Transfer")
    _order = "scheduled_date desc, id desc"
    #: the form fills the type's locations live (create's rules)
    _onchange = {"picking_type_id": ("location_id", "location_dest_id"),
                 "partner_id": ("location_dest_id",)}
    _edit_states = ("draft", "confirmed", "assigned", "approved")  # done and cancelled: history
    _unlink_states = ("draft", "cancel")

    name: Mapped[str] = fields.Char(_l("Reference"), required=True, default="/", index=True,
                                    readonly=True)
    origin: Mapped[Optional[str]] = fields.Char(_l("Source document"), index=True)
    picking_type_id: Mapped[int] = fields.Many2one("stock.picking.type", _l("Operation type"),
                                                   required=True, ondelete="RESTRICT",
                                                   edit_states="draft")
    picking_type_code: Mapped[Optional[str]] = fields.Selection(
        TYPE_CODES, _l("Type of operation"), related="picking_type_id.code", store=True)
    warehouse_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.warehouse", _l("Warehouse"), related="picking_type_id.warehouse_id", store=True)
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Partner"),
                                                        edit_states="draft")
    location_id: Mapped[Optional[int]] = fields.Many2one("stock.location", _l("Source location"),
                                                         ondelete="RESTRICT", edit_states="draft")
    location_dest_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Destination location"), ondelete="RESTRICT", edit_states="draft")
    scheduled_date: Mapped[Optional[dt.datetime]] = fields.Datetime(
        _l("Scheduled date"), index=True, default=lambda env: utcnow())
    date_done: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Date of transfer"),
                                                               readonly=True)
    state: Mapped[str] = fields.Selection(PICKING_STATES, _l("Status"), default="draft",
                                          index=True, tracking=True)
    move_ids = fields.One2many("stock.move", "picking_id", _l("Operations"))
    backorder_id: Mapped[Optional[int]] = fields.Many2one("stock.picking", _l("Backorder of"),
                                                          readonly=True)
    first_approval_uid: Mapped[Optional[int]] = fields.Many2one(
        "res.users", _l("First approval (一审) by"), readonly=True)
    first_approval_date: Mapped[Optional[dt.datetime]] = fields.Datetime(
        _l("First approval on"), readonly=True)
    second_approval_uid: Mapped[Optional[int]] = fields.Many2one(
        "res.users", _l("Second approval (二审) by"), readonly=True)
    second_approval_date: Mapped[Optional[dt.datetime]] = fields.Datetime(
        _l("Second approval on"), readonly=True)
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))

    _workflow = Workflow(transitions=(
        Transition("confirm", "draft", "confirmed", _l("Mark as to do"), groups=KEEPERS),
        Transition("validate", OPEN, "done", _l("Validate"), groups=KEEPERS,
                   condition=lambda rec: not _two_step(rec)),
        Transition("first_approval", OPEN, "approved", _l("First approval (一审)"),
                   groups=KEEPERS, condition=_two_step),
        Transition("second_approval", "approved", "done", _l("Second approval (二审)"),
                   groups=INSPECTORS, inbox=True),
        Transition("refuse_inspection", "approved", "assigned", _l("Refuse at inspection"),
                   groups=INSPECTORS),
        Transition("cancel", OPEN, "cancel", _l("Cancel"), groups=KEEPERS),
    ))

    # -- creation and edits --------------------------------------------------------------------

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        types = env.registry["stock.picking.type"]
        for vals in vals_list:
            ptype = env.session.get(types, vals.get("picking_type_id"))
            if ptype is None:
                raise ValidationError(_("A transfer needs an operation type."),
                                      field="picking_type_id")
            vals["location_id"] = vals.get("location_id") or ptype.default_location_src_id
            if ptype.to_customer_transit:
                if not vals.get("partner_id"):
                    raise ValidationError(_("A shipment to transit needs the customer it goes "
                                            "to."), field="partner_id")
                vals["location_dest_id"] = env.sudo()["stock.location"].transit_location_for(
                    vals["partner_id"])
            vals["location_dest_id"] = (vals.get("location_dest_id")
                                        or ptype.default_location_dest_id)
            if not vals.get("location_id") or not vals.get("location_dest_id"):
                raise ValidationError(_("A transfer needs a source and a destination location."),
                                      field="location_id")
            if vals.get("name") in (None, "", "/"):
                vals["name"] = _next_name(env, ptype)
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        vals = {k: v for k, v in vals.items() if getattr(self, k, None) != v}  # forms resend all
        locked = {"picking_type_id", "location_id", "location_dest_id", "partner_id"}
        if set(vals) & locked and self.state not in ("draft",) and not _is_engine(self.env):
            raise UserError(_("%(name)s is no longer a draft: its type, partner and locations "
                              "cannot change.", name=self.name))
        super().write(vals)
        moved = {k: vals[k] for k in ("location_id", "location_dest_id", "partner_id")
                 if k in vals}
        if moved:
            for move in self.active_moves():
                for key, value in moved.items():
                    setattr(move, key, value)

    def unlink(self) -> None:
        if self.state not in ("draft", "cancel"):
            raise UserError(_("Only draft or cancelled transfers can be deleted; cancel %(name)s "
                              "first.", name=self.name))
        super().unlink()

    def active_moves(self) -> list[Any]:
        """The moves neither done nor cancelled, in id order (read once per transaction while
        the transfer's moves stay the same: :func:`core.children.children`)."""
        return [move for move in children(self.env, "stock.move", "picking_id", self.id)
                if move.state not in ("done", "cancel")]

    # -- helpers -------------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        """Technical state changes (reservation): written as the engine, so audited."""
        if self.state != state:
            engine_env(self.env)["stock.picking"].write([self.id], {"state": state})

    def _check_may(self, transition: str) -> None:
        """Raise the engine's refusal before doing any work (clear errors, nothing done)."""
        groups = self._workflow.transition(transition).groups
        access = self.env.access
        if groups and not (access.is_admin or any(access.has_group(g) for g in groups)):
            label = self._workflow.transition(transition).label
            raise AccessError(_("Only %(groups)s may %(action)s %(name)s.",
                                groups=group_names(self.env, groups), action=str(label),
                                name=self.name))

    def _check_moves(self) -> list[Any]:
        moves = self.active_moves()
        if not moves:
            raise UserError(_("%(name)s has no product to move.", name=self.name))
        return moves

    def _confirm_moves(self) -> None:
        for move in self.active_moves():
            if move.state == "draft":
                move.state = "confirmed"

    def _sync_reservation_state(self) -> None:
        moves = self.active_moves()
        if self.state in ("confirmed", "assigned"):
            ready = bool(moves) and all(m.state == "assigned" for m in moves)
            self._set_state("assigned" if ready else "confirmed")

    def _split_for_processing(self, backorder: bool = True) -> list[Any]:
        """Shrink moves to their processed quantity; the rest goes to a backorder (or is
        cancelled). Returns the moves to process."""
        env = self.env.sudo()
        processed, rest = [], []
        moves = self._check_moves()
        products = env["product.product"].browse_unchecked(  # in one query, kept meanwhile
            list({m.product_id for m in moves}))
        for move in moves:
            qty, demand = move.processed_qty, move.product_uom_qty
            if qty < demand:
                rest.append((move, demand - qty))
                if move.reserved_qty and move.to_product_uom(qty) < move.reserved_qty:
                    operations.unreserve(env, [move])
            if qty <= 0:
                move.state = "cancel"
                continue
            move.product_uom_qty = qty
            move.quantity = None
            move.product_qty = move.to_product_uom(qty)
            processed.append(move)
        del products
        if not processed:
            raise UserError(_("Nothing to process in %(name)s: enter the quantities moved.",
                              name=self.name))
        if rest and backorder:
            self._create_backorder(rest)
        return processed

    def _create_backorder(self, rest: list[tuple[Any, Any]]) -> int:
        env = self.env.sudo()
        lines = [(0, 0, {"product_id": m.product_id, "product_uom_qty": qty,
                         "product_uom": m.product_uom, "price_unit": m.price_unit,
                         "name": m.name}) for m, qty in rest]
        backorder_id = env["stock.picking"].create({
            "picking_type_id": self.picking_type_id, "partner_id": self.partner_id,
            "location_id": self.location_id, "location_dest_id": self.location_dest_id,
            "origin": self.origin, "move_ids": lines})
        env["stock.picking"].browse_unchecked([backorder_id])[0].backorder_id = self.id
        return backorder_id

    def _finish(self) -> None:
        self.date_done = operations.done_date(self.env)
        self.env.registry.pm.hook.stock_picking_done(env=self.env, picking=self)

    # -- actions -------------------------------------------------------------------------------
    # Every transition's stock work runs in its callbacks (picking_flow.PickingFlow), which the
    # engine runs whichever door took it: these methods, the workflow buttons of the web UI, RPC
    # or REST. The methods only add the options a button lacks.

    @public
    def action_confirm(self) -> str:
        """Mark the transfer as to do and reserve what is available."""
        self.workflow_action("confirm")
        return self.state  # "assigned" when everything could be reserved

    @public
    def action_assign(self) -> str:
        """Check availability: reserve what the source holds (partial reservations allowed)."""
        self._check_may("confirm")
        if self.state == "draft":
            return self.action_confirm()
        if self.state not in ("confirmed", "assigned"):
            raise UserError(_("%(name)s cannot be reserved in its state.", name=self.name))
        operations.assign(self.env.sudo(), self.active_moves())
        self._sync_reservation_state()
        return self.state

    @public
    def action_unreserve(self) -> str:
        """Give the reserved quantities back."""
        self._check_may("confirm")
        if self.state not in ("confirmed", "assigned"):
            raise UserError(_("%(name)s cannot be unreserved in its state.", name=self.name))
        operations.unreserve(self.env.sudo(), self.active_moves())
        self._sync_reservation_state()
        return self.state

    @public
    def button_validate(self, backorder: bool = True) -> str:
        """Do a one-step transfer; less than the demand makes a backorder (or cancels the
        rest when ``backorder`` is False)."""
        if _two_step(self):  # a clearer refusal than the transition's unmet condition
            raise UserError(_("%(name)s needs the first (一审) and second (二审) approvals.",
                              name=self.name))
        return self._workflow_action("validate", backorder=bool(backorder))

    action_validate = public(lambda self, backorder=True: self.button_validate(backorder))

    @public
    def action_refuse_inspection(self, reason: str = "") -> str:
        """The inspector sends the goods back to the keeper (reason required); they stay
        reserved."""
        return self.workflow_action("refuse_inspection", comment=reason)


def _is_engine(env: Any) -> bool:
    from core.integrity import is_engine

    return is_engine(env)


def _next_name(env: Any, ptype: Any) -> str:
    code = f"stock.picking.{(ptype.sequence_code or 'int').lower()}"
    try:
        return env.sudo()["ir.sequence"].next_by_code(code)
    except UserError:
        warehouse = ptype.warehouse.code if ptype.warehouse is not None else "WH"
        count = env.sudo()["stock.picking"].search_count([("picking_type_id", "=", ptype.id)])
        return f"{warehouse}/{ptype.sequence_code}/{count + 1:05d}"


PICKING_MODELS = [Picking]
