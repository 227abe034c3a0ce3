"""The presales support request (售前支持工作协调单).

After the initiation is approved, the salesperson asks for technical presales support: their
department manager signs (hr's ``department_manager`` resolver), 技术服务部 names a presales lead
or team, the technical team lead (技术团队负责人) approves, the lead records the work (activities
and hours) and, when presales ends, submits the request to 项目管理部, which evaluates it (a
score out of 100 and comments).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.errors import UserError
from core.i18n import _, _l
from core.workflow import Step, Transition, Workflow

from ..groups import OFFICE, TECH, TECH_LEAD
from .common import today
from .request import InitiationFollowUp

STATES = [("draft", _l("Draft")), ("to_sign", _l("Waiting for the manager's signature")),
          ("submitted", _l("At 技术服务部")), ("to_approve", _l("Lead waiting for approval")),
          ("in_progress", _l("Presales in progress")), ("evaluation", _l("To evaluate")),
          ("done", _l("Evaluated")), ("cancel", _l("Cancelled"))]
EDITABLE = {"draft": (None, ("*",)), "submitted": (TECH, ("lead_id", "team_ids")),
            "evaluation": (OFFICE, ("evaluation_score", "evaluation_comment"))}


def _has_lead(record: Any) -> bool:
    return bool(record.lead_id)


PRESALES_WORKFLOW = Workflow(transitions=(
    Transition("submit", "draft", "submitted", _l("Submit to 技术服务部"), pending_state="to_sign",
               reject_to="draft", approvals=(
                   Step("department_manager", _l("Department manager signs (部门经理签字)"),
                        resolver="department_manager"),)),
    Transition("assign", "submitted", "in_progress", _l("Propose the presales lead"),
               groups=(TECH,), condition=_has_lead, pending_state="to_approve",
               reject_to="submitted", allow_self_approval=True, approvals=(
                   Step("tech_lead", _l("Technical team lead approves (技术团队负责人批准)"),
                        group=TECH_LEAD),)),
    Transition("finish", "in_progress", "evaluation", _l("Presales done: submit to 项目管理部"),
               groups=(TECH,)),
    Transition("evaluate", "evaluation", "done", _l("Record the evaluation"), groups=(OFFICE,)),
    Transition("cancel", ("draft", "submitted"), "cancel", _l("Cancel")),
))


class PresalesRequest(InitiationFollowUp):
    _name = "project.presales.request"
    _description = _l("Presales support request")
    _order = "date desc, id desc"
    _track = True
    _workflow = PRESALES_WORKFLOW
    _edit_states = ("draft",)
    _scope_fields = ("user_id", "create_uid")
    _editable = EDITABLE

    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Salesperson"),
                                                     default=lambda env: env.uid, readonly=True,
                                                     index=True)
    date_needed: Mapped[Optional[dt.date]] = fields.Date(_l("Support needed by"))
    requirement: Mapped[str] = fields.Text(_l("Support needed"), required=True)
    lead_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Presales lead"),
                                                     edit_states=("submitted",))
    team_ids = fields.Many2many("res.users", _l("Presales team"),
                                relation="project_presales_team_rel", column1="request_id",
                                column2="user_id", edit_states=("submitted",))
    activity_ids = fields.One2many("project.presales.activity", "request_id",
                                   _l("Presales work"), edit_states=("in_progress",))
    hours_total: Mapped[Decimal] = fields.Decimal(_l("Hours"), digits=(10, 2), readonly=True,
                                                  default=Decimal(0))
    evaluation_score: Mapped[Optional[int]] = fields.Integer(_l("Evaluation score (0–100)"),
                                                             edit_states=("evaluation",))
    evaluation_comment: Mapped[Optional[str]] = fields.Text(_l("Evaluation comments"),
                                                            edit_states=("evaluation",))
    evaluator_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Evaluated by"),
                                                          readonly=True)
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="draft", readonly=True,
                                          index=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            vals.update(hours_total=Decimal(0), evaluator_id=None)
        return super().create(env, vals_list)

    @constrains("evaluation_score")
    def _check_score(self):
        if self.evaluation_score is not None and not 0 <= self.evaluation_score <= 100:
            raise ValidationError(_("The evaluation score is from 0 to 100."),
                                  field="evaluation_score")

    def _before_finish(self, ctx: Any) -> None:
        if ctx.env.uid != self.lead_id and not ctx.env.access.has_group(TECH_LEAD):
            raise UserError(_("Only the presales lead submits %(name)s for evaluation.",
                              name=self.display_name))
        if not self.hours_total:
            raise UserError(_("Record the presales work of %(name)s first.",
                              name=self.display_name))

    def _before_evaluate(self, ctx: Any) -> None:
        if self.evaluation_score is None:
            raise UserError(_("Enter the evaluation score of %(name)s first.",
                              name=self.display_name))
        self.evaluator_id = ctx.env.uid

    def refresh_hours(self) -> None:
        line = self.env.registry["project.presales.activity"]
        self.hours_total = self.env.session.scalar(
            select(func.coalesce(func.sum(line.hours), 0)).where(line.request_id == self.id))


class PresalesActivity:
    """One piece of presales work recorded on the request by the lead or the team."""

    _name = "project.presales.activity"
    _description = _l("Presales work")
    _order = "request_id, date, id"
    _rules_from = "request_id"

    request_id: Mapped[int] = fields.Many2one("project.presales.request", _l("Presales request"),
                                              required=True, ondelete="CASCADE")
    date: Mapped[dt.date] = fields.Date(_l("Date"), required=True, default=lambda env: today())
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("By"),
                                                     default=lambda env: env.uid)
    name: Mapped[str] = fields.Char(_l("Work done"), required=True)
    hours: Mapped[Decimal] = fields.Decimal(_l("Hours"), digits=(10, 2), required=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        records = super().create(env, vals_list)
        for record in records:
            record._check_request(env)
            record.request.refresh_hours()
        return records

    def write(self, vals: dict[str, Any]) -> None:
        self._check_request(self.env)
        super().write(vals)
        self.request.refresh_hours()

    def unlink(self) -> None:
        self._check_request(self.env)
        request = self.request
        super().unlink()
        self.env.session.flush()
        request.refresh_hours()

    def _check_request(self, env: Any) -> None:
        env.session.flush()
        request = self.request
        if request.state != "in_progress":
            raise ValidationError(_("Presales work is recorded while the presales is in "
                                    "progress."))
        team = {request.lead_id, *env.sudo()["project.presales.request"].read(
            [request.id], ["team_ids"])[0]["team_ids"]}
        if not env.su and env.uid not in team:
            raise ValidationError(_("Only the presales lead and team record presales work."))

    @constrains("hours")
    def _check_hours(self):
        if self.hours is None or self.hours <= 0 or self.hours > 24:
            raise ValidationError(_("Hours of a day are more than 0 and at most 24."),
                                  field="hours")


PRESALES_MODELS = [PresalesRequest, PresalesActivity]
