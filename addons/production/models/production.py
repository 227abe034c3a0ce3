"""Manufacturing orders (生产任务单, ``mrp.production``).

draft → (submitted, 车间主任 approves) confirmed → (车间主任 starts) progress → (车间主任
records the quantity made) to_inspect → (质检员 passes it: 完工入库) done; cancel from the
open states. The approval explodes the bill into a material issue (领料单, a
``stock.picking`` to the production location) that the 保管员 validates; the inspection
receives the finished goods and by-products at actual cost, returns surplus components (退料)
and leaves the rest of a partial production in a backorder. Every quantity moves through
:mod:`addons.stock.models.operations`, so quants stay the sum of the moves. The work of each
transition is in :mod:`.production_flow`.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import constrains, depends, fields
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.integrity import is_engine
from core.workflow import Step, Transition, Workflow

from ..security import PLANNER, QUALITY, WORKSHOP
from ..units import check_unit, fill_unit, to_product_unit
from .production_flow import ProductionFlow

STATES = [
    ("draft", _l("Draft")),
    ("to_approve", _l("Waiting for approval")),
    ("confirmed", _l("Confirmed")),
    ("progress", _l("In progress")),
    ("to_inspect", _l("To inspect")),
    ("done", _l("Done")),
    ("cancel", _l("Cancelled")),
]
#: what may still change once an order left the draft (the workshop's figures)
OPEN_FIELDS = {"qty_producing", "duration", "note", "date_deadline", "user_id", "qty_scrap",
               "scrap_reason"}
#: kept by the flow only
SYSTEM_FIELDS = ("qty_produced", "cost_material", "cost_labour", "cost_overhead", "cost_total",
                 "cost_unit", "cost_standard", "cost_variance", "duration_expected",
                 "backorder_of_id", "warehouse_id", "location_src_id", "location_dest_id",
                 "production_location_id", "date_finished")
#: the precision of the quantities in the product's unit (their columns' four decimals)
QTY_STEP = Decimal("0.0001")


def _today() -> dt.date:
    return dt.date.today()


class Production(ProductionFlow):
    _name = "mrp.production"
    _description = _l("Manufacturing order")
    _order = "date_planned_start desc, id desc"
    _track = True
    _edit_states = ("draft",)
    _unlink_states = ("draft", "cancel")

    name: Mapped[Optional[str]] = fields.Char(_l("Reference"), size=64, index=True,
                                              readonly=True)
    origin: Mapped[Optional[str]] = fields.Char(_l("Source document"), index=True)
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="RESTRICT", index=True)
    product_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity to produce"), digits=(16, 4),
                                                  required=True, default=Decimal(1))
    product_uom_id: Mapped[Optional[int]] = fields.Many2one(
        "uom.uom", _l("Unit"), help=_l("Empty: the product's unit; else one of its kind."))
    bom_id: Mapped[Optional[int]] = fields.Many2one("mrp.bom", _l("Bill of materials"),
                                                    ondelete="RESTRICT")
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="draft",
                                          readonly=True, index=True)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Responsible"),
                                                     default=lambda env: env.uid)
    date_planned_start: Mapped[Optional[dt.date]] = fields.Date(
        _l("Planned start"), index=True, default=lambda env: _today())
    date_deadline: Mapped[Optional[dt.date]] = fields.Date(_l("Deadline"))
    date_finished: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Finished on"),
                                                                   readonly=True)
    picking_type_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.picking.type", _l("Material issue type"), ondelete="RESTRICT")
    warehouse_id: Mapped[Optional[int]] = fields.Many2one("stock.warehouse", _l("Warehouse"),
                                                          readonly=True, index=True)
    location_src_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Components location"), readonly=True)
    location_dest_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Finished products location"), readonly=True)
    production_location_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Production location"), readonly=True)
    move_raw_ids = fields.One2many("stock.move", "raw_material_production_id",
                                   _l("Components"))
    move_finished_ids = fields.One2many("stock.move", "production_id", _l("Finished products"))
    picking_ids = fields.One2many("stock.picking", "production_id", _l("Material issues"))
    qty_producing: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Quantity producing"), digits=(16, 4), edit_states=("progress",),
        help=_l("What the workshop made; less than the quantity to produce leaves the rest "
                "in a backorder. Empty: the whole quantity."))
    qty_scrap: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Quantity scrapped"), digits=(16, 4), edit_states=("to_inspect",),
        help=_l("Units the inspection rejects as scrap (with a reason): they are not received "
                "and the good units carry the whole cost."))
    scrap_reason: Mapped[Optional[str]] = fields.Char(_l("Scrap reason"), size=255,
                                                      edit_states=("to_inspect",))
    qty_produced: Mapped[Decimal] = fields.Decimal(_l("Quantity produced"), digits=(16, 4),
                                                   readonly=True, default=Decimal(0))
    product_uom_qty: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Quantity in the product's unit"), digits=(16, 4), compute="_compute_product_unit",
        store=True, help=_l("The quantity to produce counted in the product's own unit: "
                            "orders in other units of its kind add up."))
    qty_produced_product_uom: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Produced in the product's unit"), digits=(16, 4), compute="_compute_product_unit",
        store=True, help=_l("The quantity produced counted in the product's own unit: what "
                            "analyses and reports add up across orders."))
    duration_expected: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Expected hours"), digits=(16, 4), readonly=True)
    duration: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Hours worked"), digits=(16, 4), edit_states=("progress",),
        help=_l("Actual hours on the work centres; empty: the routing's hours for the "
                "quantity made. Labour and overhead follow it."))
    backorder_of_id: Mapped[Optional[int]] = fields.Many2one(
        "mrp.production", _l("Backorder of"), readonly=True)
    cost_material: Mapped[Optional[Decimal]] = fields.Monetary(_l("Direct materials"),
                                                               readonly=True)
    cost_labour: Mapped[Optional[Decimal]] = fields.Monetary(_l("Direct labour"),
                                                             readonly=True)
    cost_overhead: Mapped[Optional[Decimal]] = fields.Monetary(_l("Manufacturing overhead"),
                                                               readonly=True)
    cost_total: Mapped[Optional[Decimal]] = fields.Monetary(_l("Actual cost"), readonly=True)
    cost_unit: Mapped[Optional[Decimal]] = fields.Monetary(_l("Actual unit cost"),
                                                           digits=(16, 4), readonly=True)
    cost_standard: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Standard cost"), readonly=True,
        help=_l("The bill's standard cost per unit × the quantity produced."))
    cost_variance: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Variance"), readonly=True, help=_l("Actual cost less standard cost."))
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))

    _workflow = Workflow(transitions=(
        Transition("confirm", "draft", "confirmed", _l("Submit for approval"),
                   groups=(PLANNER, WORKSHOP), pending_state="to_approve", reject_to="draft",
                   approvals=(Step("workshop", _l("Workshop manager (车间主任)"),
                                   group=WORKSHOP),)),
        Transition("start", "confirmed", "progress", _l("Start production"),
                   groups=(WORKSHOP,)),
        Transition("produce", "progress", "to_inspect", _l("Record production"),
                   groups=(WORKSHOP,)),
        Transition("inspect", "to_inspect", "done", _l("Pass inspection (完工入库)"),
                   groups=(QUALITY,), inbox=True),
        Transition("refuse", "to_inspect", "progress", _l("Refuse at inspection"),
                   groups=(QUALITY,)),
        Transition("cancel", ("draft", "confirmed", "progress"), "cancel", _l("Cancel"),
                   groups=(PLANNER, WORKSHOP)),
    ))

    # -- creation and edits --------------------------------------------------------------------

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            _refuse_system_fields(vals)
            if not vals.get("name"):
                vals["name"] = env.sudo()["ir.sequence"].next_by_code("mrp.production")
            if not vals.get("picking_type_id"):
                vals["picking_type_id"] = _default_issue_type(env)
        records = super().create(env, vals_list)
        for record in records:
            record._fill()
        return records

    def write(self, vals: dict[str, Any]) -> None:
        vals = {k: v for k, v in vals.items() if getattr(self, k, None) != v}
        if not is_engine(self.env):
            _refuse_system_fields(vals)
            if self.state != "draft" and set(vals) - OPEN_FIELDS:
                raise UserError(_("%(name)s is no longer a draft: only the quantity producing, "
                                  "the hours and the notes can change.", name=self.name))
            if set(vals) & {"qty_producing", "duration"} and self.state != "progress":
                raise UserError(_("The quantity producing and the hours of %(name)s are entered "
                                  "while it is in progress.", name=self.name))
            if set(vals) & {"qty_scrap", "scrap_reason"} and self.state != "to_inspect":
                raise UserError(_("Scrap of %(name)s is entered at its inspection.",
                                  name=self.name))
        super().write(vals)
        if {"product_id", "bom_id", "picking_type_id", "product_qty"} & set(vals):
            self._fill()

    def unlink(self) -> None:
        if self.state not in ("draft", "cancel"):
            raise UserError(_("Only draft or cancelled manufacturing orders can be deleted; "
                              "cancel %(name)s first.", name=self.name))
        super().unlink()

    def _fill(self) -> None:
        """Unit, bill, locations and expected hours from the product and the issue type."""
        env = self.env
        env.session.flush()
        fill_unit(self)
        if not self.bom_id:
            from ..explosion import BomIndex

            found = BomIndex(env).get(self.product_id)
            self.bom_id = found.id if found is not None and found.type == "normal" else None
        ptype = self.picking_type
        if ptype is not None:
            self.warehouse_id = ptype.warehouse_id
            self.location_src_id = ptype.default_location_src_id
            self.location_dest_id = ptype.default_location_src_id
            self.production_location_id = ptype.default_location_dest_id
        if self.bom_id:
            from ..explosion import BomIndex

            bom = BomIndex(env).load_bom(self.bom_id)
            self.duration_expected = sum((h for _op, h in bom.operation_hours(
                self._in_product_unit(self.product_qty or 0))), Decimal(0))
        env.session.flush()

    @constrains("product_qty", "qty_producing", "duration", "qty_scrap")
    def _check_quantities(self) -> None:
        """Positive quantity; what is produced lies between 0 and the quantity; hours ≥ 0;
        scrap below what is produced."""
        if self.product_qty is None or self.product_qty <= 0:
            raise ValidationError(_("The quantity to produce must be positive."),
                                  field="product_qty")
        if self.qty_producing is not None and not (
                0 < self.qty_producing <= self.product_qty):
            raise ValidationError(_("The quantity producing of %(name)s must lie between 0 and "
                                    "%(qty)s.", name=self.name, qty=_fmt(self.product_qty)),
                                  field="qty_producing")
        if self.duration is not None and self.duration < 0:
            raise ValidationError(_("Hours worked cannot be negative."), field="duration")
        made = self.qty_producing or self.product_qty
        if self.qty_scrap is not None and not (0 <= self.qty_scrap < made):
            raise ValidationError(_("The scrap of %(name)s must lie from 0 to below the "
                                    "%(qty)s produced.", name=self.name, qty=_fmt(made)),
                                  field="qty_scrap")

    @depends("product_qty", "qty_produced", "product_uom_id.ratio", "product_id.uom_id.ratio")
    def _compute_product_unit(self) -> None:
        """The quantities in the product's own unit (a sum over orders in boxes and pieces
        would mix units)."""
        factor = to_product_unit(self)
        for name, qty in (("product_uom_qty", self.product_qty),
                          ("qty_produced_product_uom", self.qty_produced)):
            setattr(self, name, (Decimal(qty or 0) * factor).quantize(
                QTY_STEP, rounding=ROUND_HALF_UP))

    @constrains("product_id", "product_uom_id")
    def _check_unit(self) -> None:
        check_unit(self)

    @constrains("bom_id", "product_id")
    def _check_bom(self) -> None:
        """The bill makes the order's product and is not a kit."""
        if self.bom_id:
            bom = self.bom
            if bom.product_id != self.product_id or bom.type != "normal":
                raise ValidationError(_("The bill %(bom)s does not manufacture %(product)s.",
                                        bom=bom.display_name,
                                        product=self.product.display_name), field="bom_id")


def _fmt(qty: Any) -> str:
    return f"{Decimal(qty).normalize():f}"


def _refuse_system_fields(vals: dict[str, Any]) -> None:
    given = [name for name in SYSTEM_FIELDS if vals.get(name) not in (None, False, 0)]
    if given:
        raise ValidationError(_("%(field)s of a manufacturing order is kept by the system.",
                                field=given[0]), field=given[0])


def _default_issue_type(env: Any) -> int | None:
    """The material issue type of the first (main) warehouse."""
    ptype, wh = env.registry["stock.picking.type"], env.registry["stock.warehouse"]
    return env.session.scalar(select(ptype.id).join(wh, wh.id == ptype.warehouse_id).where(
        ptype.sequence_code == "MI", ptype.active.is_(True)).order_by(wh.sequence, wh.id,
                                                                      ptype.id).limit(1))


PRODUCTION_MODELS = [Production]
