"""Material requirements planning runs (``mrp.run``) and their proposals (``mrp.proposal``).

A run nets the demand against the stock level by level (:mod:`..mrp`) and proposes
manufacturing orders and purchases with their dates; the 生产计划员 reviews the proposals and
confirms them, one by one, in bulk from the list, or all of a run at once. Runs come from the
planner's button and from the daily job.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import fields, public
from core.errors import UserError
from core.i18n import _, _l
from core.workflow import Transition, Workflow

from ..security import PLANNER

RUN_STATES = [("draft", _l("Not run")), ("done", _l("Run"))]
KINDS = [("manufacture", _l("Manufacture")), ("purchase", _l("Purchase"))]
PROPOSAL_STATES = [("draft", _l("Proposed")), ("confirmed", _l("Confirmed")),
                   ("cancel", _l("Dismissed"))]


class MrpRun:
    _name = "mrp.run"
    _description = _l("Material planning run")
    _order = "id desc"

    name: Mapped[Optional[str]] = fields.Char(_l("Reference"), size=64, readonly=True)
    warehouse_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.warehouse", _l("Warehouse"),
        help=_l("Reorder rules of this warehouse count; empty: every warehouse."))
    date: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Run on"), readonly=True)
    state: Mapped[str] = fields.Selection(RUN_STATES, _l("Status"), default="draft",
                                          readonly=True)
    duration: Mapped[Optional[Decimal]] = fields.Decimal(_l("Seconds"), digits=(16, 3),
                                                         readonly=True)
    demand_count: Mapped[Optional[int]] = fields.Integer(_l("Demand lines"), readonly=True)
    proposal_count: Mapped[Optional[int]] = fields.Integer(_l("Proposals"), readonly=True)
    proposal_ids = fields.One2many("mrp.proposal", "run_id", _l("Proposals"))

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            vals["name"] = env.sudo()["ir.sequence"].next_by_code("mrp.run")
            for name in ("date", "state", "duration", "demand_count", "proposal_count"):
                vals.pop(name, None)
        return super().create(env, vals_list)

    @public
    def action_run(self) -> str:
        """Plan now: replaces the proposals not confirmed yet."""
        from ..mrp import run_planning

        self._check_planner()
        stats = run_planning(self.env, self)
        return _("Planned: %(demand)s demand lines, %(proposals)s proposals.",
                 demand=stats["demand"], proposals=stats["proposals"])

    action_run.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_confirm_proposals(self) -> str:
        """Confirm every proposal of this run still proposed."""
        from ..mrp import confirm_proposals

        self._check_planner()
        proposal = self.env.registry["mrp.proposal"]
        ids = list(self.env.session.scalars(select(proposal.id).where(
            proposal.run_id == self.id, proposal.state == "draft").order_by(proposal.id)))
        if not ids:
            raise UserError(_("%(name)s has no proposal left to confirm.", name=self.name))
        made = confirm_proposals(self.env, ids)
        return _("%(count)s proposals confirmed.", count=made)

    action_confirm_proposals.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    def _check_planner(self) -> None:
        self.env["mrp.proposal"]._check_ids([], "create")  # the planner's right


class MrpProposal:
    _name = "mrp.proposal"
    _description = _l("Planning proposal")
    _order = "run_id desc, level, date_start, id"
    _rules_from = "run_id"

    run_id: Mapped[int] = fields.Many2one("mrp.run", _l("Planning run"), required=True,
                                          ondelete="CASCADE", index=True, readonly=True)
    kind: Mapped[str] = fields.Selection(KINDS, _l("Action"), required=True, readonly=True)
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="CASCADE", readonly=True, index=True)
    product_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 4),
                                                  required=True)
    bom_id: Mapped[Optional[int]] = fields.Many2one("mrp.bom", _l("Bill of materials"),
                                                    readonly=True, ondelete="SET NULL")
    level: Mapped[int] = fields.Integer(_l("BoM level"), readonly=True, default=0)
    date_start: Mapped[Optional[dt.date]] = fields.Date(_l("Order by"), readonly=True)
    date_due: Mapped[Optional[dt.date]] = fields.Date(_l("Needed by"), readonly=True)
    late: Mapped[bool] = fields.Boolean(_l("Late"), readonly=True,
                                        help=_l("Should have been ordered already."))
    origin: Mapped[Optional[str]] = fields.Char(_l("Source document"), size=255,
                                                readonly=True)
    warehouse_id: Mapped[Optional[int]] = fields.Many2one("stock.warehouse", _l("Warehouse"),
                                                          readonly=True)
    state: Mapped[str] = fields.Selection(PROPOSAL_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True)
    production_id: Mapped[Optional[int]] = fields.Many2one(
        "mrp.production", _l("Manufacturing order"), readonly=True, ondelete="SET NULL")
    result_ref: Mapped[Optional[str]] = fields.Reference(string=_l("Purchase document"), size=64,
                                                         readonly=True)

    _workflow = Workflow(transitions=(
        Transition("confirm", "draft", "confirmed", _l("Confirm"), groups=(PLANNER,)),
        Transition("dismiss", "draft", "cancel", _l("Dismiss"), groups=(PLANNER,)),
    ))

    def write(self, vals: dict[str, Any]) -> None:
        from core.integrity import is_engine

        vals = {k: v for k, v in vals.items() if getattr(self, k, None) != v}
        if vals and self.state != "draft" and not is_engine(self.env):
            raise UserError(_("Only proposals not yet confirmed can change."))
        super().write(vals)

    def _after_confirm(self, ctx: Any) -> None:
        from ..mrp import make_documents

        make_documents(self.env, [self])


PLANNING_MODELS = [MrpRun, MrpProposal]
