"""The early-start approval (提前开工审批单): a project that must start before its contract is
signed. The sales lead fills it → the sales director in charge (分管销售总监) reviews → 项目管理部
fills the implementation arrangement → the technical team lead (技术团队负责人) approves → the
general manager (总经理) approves; the project is then in progress."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l
from core.workflow import Step, Transition, Workflow

from ..groups import GENERAL_MANAGER, OFFICE, SALES_DIRECTOR, TECH_LEAD
from .request import InitiationFollowUp

STATES = [("draft", _l("Draft")), ("to_review", _l("Waiting for the sales director")),
          ("arrangement", _l("Implementation arrangement (项目管理部)")),
          ("to_approve", _l("Waiting for approval")), ("approved", _l("Approved")),
          ("cancel", _l("Cancelled"))]
EDITABLE = {"draft": (None, ("*",)),
            "arrangement": (OFFICE, ("arrangement", "implementation_user_id",
                                     "date_start_planned"))}


def _arranged(record: Any) -> bool:
    return bool((record.arrangement or "").strip())


EARLY_START_WORKFLOW = Workflow(transitions=(
    Transition("submit", "draft", "arrangement", _l("Submit for review"),
               pending_state="to_review", reject_to="draft", approvals=(
                   Step("sales_director", _l("Sales director reviews (分管销售总监审核)"),
                        group=SALES_DIRECTOR),)),
    Transition("arrange", "arrangement", "approved", _l("Submit the arrangement for approval"),
               groups=(OFFICE,), condition=_arranged, pending_state="to_approve",
               reject_to="arrangement", approvals=(
                   Step("tech_lead", _l("Technical team lead approves (技术团队负责人审批)"),
                        group=TECH_LEAD),
                   Step("general_manager", _l("General manager approves (总经理批准)"),
                        group=GENERAL_MANAGER))),
    Transition("cancel", ("draft", "arrangement"), "cancel", _l("Cancel")),
))


class EarlyStart(InitiationFollowUp):
    _name = "project.early.start"
    _description = _l("Early-start approval")
    _order = "date desc, id desc"
    _track = True
    _workflow = EARLY_START_WORKFLOW
    _edit_states = ("draft",)
    _scope_fields = ("user_id", "create_uid")
    _editable = EDITABLE

    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Sales lead"),
                                                     default=lambda env: env.uid, readonly=True,
                                                     index=True)
    reason: Mapped[str] = fields.Text(_l("Why start before the contract"), required=True)
    date_contract: Mapped[Optional[dt.date]] = fields.Date(_l("Expected contract date"))
    date_start_planned: Mapped[dt.date] = fields.Date(_l("Planned start"), required=True,
                                                      edit_states=("draft", "arrangement"))
    arrangement: Mapped[Optional[str]] = fields.Text(_l("Implementation arrangement"),
                                                     edit_states=("arrangement",))
    implementation_user_id: Mapped[Optional[int]] = fields.Many2one(
        "res.users", _l("Implementation manager"), edit_states=("arrangement",))
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="draft", readonly=True,
                                          index=True)

    @constrains("date_start_planned", "date")
    def _check_dates(self):
        if self.date_start_planned and self.date and self.date_start_planned < self.date:
            raise ValidationError(_("The planned start cannot be before the request date."),
                                  field="date_start_planned")

    def _after_arrange(self, ctx: Any) -> None:
        """Approved: the project starts (in progress) under the implementation manager."""
        if self.project_id:
            vals: dict[str, Any] = {"state": "in_progress",
                                    "date_start": self.date_start_planned}
            if self.implementation_user_id:
                vals["user_id"] = self.implementation_user_id
            self.env["project.project"].write([self.project_id], vals)


EARLY_START_MODELS = [EarlyStart]
