"""The project initiation request (系统集成类项目立项书) and who may file one (立项权).

The salesperson responsible for a project files it before anything starts; it needs the full
content of the source document. Submitting asks, in order: the department manager (hr's
``department_manager`` resolver) reviews, the cost director (成本总监) approves the presales
expenses, the sales director in charge (分管销售总监) approves the project, and the general
manager (总经理) for special projects — flagged, or above the company's amount. Approved: a
``project.project`` is created and the archive (商务拓展部) and finance (财务部) departments get a
to-do and a notification.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.errors import UserError
from core.i18n import _, _l
from core.workflow import Step, Transition, Workflow

from ..groups import COST_DIRECTOR, GENERAL_MANAGER, SALES_DIRECTOR
from .common import employee_of, frozen, next_number, today

STATES = [("draft", _l("Draft")), ("to_approve", _l("Waiting for approval")),
          ("approved", _l("Approved")), ("cancel", _l("Cancelled"))]
FUNDING = [("secured", _l("Funds secured")), ("partial", _l("Partly secured")),
           ("pending", _l("Not yet secured"))]

INITIATION_WORKFLOW = Workflow(transitions=(
    Transition("submit", "draft", "approved", _l("Submit for approval"),
               pending_state="to_approve", reject_to="draft", approvals=(
                   Step("department_manager", _l("Department manager review (部门经理审核)"),
                        resolver="department_manager"),
                   Step("cost_director", _l("Cost director: presales expenses (成本总监审批)"),
                        group=COST_DIRECTOR),
                   Step("sales_director", _l("Sales director: initiation (分管销售总监批准)"),
                        group=SALES_DIRECTOR),
                   Step("general_manager", _l("General manager: special project (总经理审批)"),
                        group=GENERAL_MANAGER, threshold_field="needs_general_manager",
                        threshold=0))),
    Transition("cancel", "draft", "cancel", _l("Cancel")),
    Transition("reset", "cancel", "draft", _l("Back to draft")),
))


class InitiatorRule:
    """立项权: the employees of a department (and its sub-departments, if set) holding one of
    the posts listed (any post when none is listed) may file initiation requests."""

    _name = "project.initiator.rule"
    _description = _l("Initiation right")
    _order = "department_id, id"
    _rec_name = "department_id"

    department_id: Mapped[int] = fields.Many2one("hr.department", _l("Department"),
                                                 required=True, ondelete="CASCADE")
    job_ids = fields.Many2many("hr.job", _l("Posts (empty: every post)"),
                               relation="project_initiator_rule_job_rel",
                               column1="rule_id", column2="job_id")
    include_children: Mapped[bool] = fields.Boolean(_l("Sub-departments too"))
    note: Mapped[Optional[str]] = fields.Char(_l("Note"))


def may_initiate(env: Any, user_id: int) -> bool:
    """Whether ``user_id``'s employee record matches an initiation right (department and
    post)."""
    employee = employee_of(env, user_id)
    if employee is None or not employee.department_id:
        return False
    su = env.sudo()
    posts = set(su["hr.employee"].read([employee.id], ["job_ids"])[0]["job_ids"])
    if employee.job_id:
        posts.add(employee.job_id)
    for rule in su["project.initiator.rule"].search_read(
            [], ["department_id", "job_ids", "include_children"]):
        department = rule["department_id"][0]
        if rule["include_children"]:
            inside = employee.department_id in su["hr.department"].search(
                [("id", "child_of", [department])])
        else:
            inside = employee.department_id == department
        if inside and (not rule["job_ids"] or posts & set(rule["job_ids"])):
            return True
    return False


class ProjectInitiation:
    _name = "project.initiation"
    _description = _l("Project initiation request")
    _order = "date desc, id desc"
    _rec_name = "name"
    _track = True
    _workflow = INITIATION_WORKFLOW
    _edit_states = ("draft",)
    _scope_fields = ("user_id", "create_uid")

    name: Mapped[Optional[str]] = fields.Char(_l("Project number"), size=32, index=True,
                                              readonly=True)
    project_name: Mapped[str] = fields.Char(_l("Project name"), required=True)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Applicant"), index=True,
                                                     default=lambda env: env.uid,
                                                     readonly=True)
    employee_id: Mapped[Optional[int]] = fields.Many2one("hr.employee", _l("Applicant employee"),
                                                         readonly=True)
    department_id: Mapped[Optional[int]] = fields.Many2one("hr.department", _l("Department"),
                                                           readonly=True)
    date: Mapped[dt.date] = fields.Date(_l("Application date"), required=True,
                                        default=lambda env: today())
    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Customer organisation"),
                                              required=True, ondelete="RESTRICT")
    street: Mapped[str] = fields.Char(_l("Customer address"), required=True)
    contact_name: Mapped[str] = fields.Char(_l("Main contact"), required=True, size=64)
    contact_phone: Mapped[Optional[str]] = fields.Char(_l("Contact phone"), size=32)
    description: Mapped[str] = fields.Text(_l("Functional summary"), required=True)
    feasibility: Mapped[Optional[str]] = fields.Text(_l("Feasibility"))
    expected_amount: Mapped[Decimal] = fields.Monetary(_l("Expected contract amount"),
                                                       required=True)
    funding: Mapped[str] = fields.Selection(FUNDING, _l("Customer's funding"), required=True)
    success_rate: Mapped[int] = fields.Integer(_l("Expected success rate (%)"), required=True)
    date_signing: Mapped[dt.date] = fields.Date(_l("Expected signing date"), required=True)
    presales_budget: Mapped[Decimal] = fields.Monetary(_l("Expected presales expenses"),
                                                       required=True)
    is_special: Mapped[bool] = fields.Boolean(
        _l("Special project"), help=_l("Special projects are approved by the general manager "
                                       "too, whatever their amount."))
    needs_general_manager: Mapped[bool] = fields.Boolean(
        _l("Approved by the general manager"), readonly=True,
        help=_l("Set on submission: a special project, or an amount above the company's."))
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="draft", readonly=True,
                                          index=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            user_id = vals.get("user_id") or env.uid
            if not env.su and user_id != env.uid:
                raise ValidationError(_("You file initiation requests in your own name."),
                                      field="user_id")
            if not may_initiate(env, user_id):
                raise UserError(_("You may not initiate integration projects: the initiation "
                                  "right belongs to the posts of 总经办, the sales staff of "
                                  "市场部 and 客户服务部 and 技术服务部 from supervisor up."))
            employee = employee_of(env, user_id)
            vals.update(user_id=user_id, employee_id=employee.id,
                        department_id=employee.department_id,
                        needs_general_manager=False)
            if not vals.get("name"):
                vals["name"] = next_number(env, "project.initiation")
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        frozen(self, vals, ("draft",), ("needs_general_manager",))
        if {"user_id", "employee_id", "department_id", "name"} & set(vals) and not \
                self.env.su:
            raise ValidationError(_("The applicant and the number of a request do not change."))
        super().write(vals)

    def unlink(self) -> None:
        if self.state not in ("draft", "cancel"):
            raise UserError(_("Only draft or cancelled requests can be deleted."))
        super().unlink()

    @constrains("expected_amount", "presales_budget", "success_rate")
    def _check_figures(self):
        if self.expected_amount is not None and self.expected_amount <= 0:
            raise ValidationError(_("The expected contract amount must be positive."),
                                  field="expected_amount")
        if self.presales_budget is not None and self.presales_budget < 0:
            raise ValidationError(_("The expected presales expenses cannot be negative."),
                                  field="presales_budget")
        if self.success_rate is not None and not 0 <= self.success_rate <= 100:
            raise ValidationError(_("The success rate is a percentage from 0 to 100."),
                                  field="success_rate")

    def _before_submit(self, ctx: Any) -> None:
        """The applicant still holds the initiation right; decide whether the general manager
        approves (special, or above the company's amount)."""
        if not may_initiate(self.env, self.user_id):
            raise UserError(_("%(name)s cannot be submitted: its applicant no longer holds the "
                              "initiation right.", name=self.display_name))
        from .settings import company_of

        company = company_of(self.env, self)
        limit = company.project_special_amount if company is not None else None
        self.needs_general_manager = bool(
            self.is_special or (limit is not None and self.expected_amount > limit))

    def _after_submit(self, ctx: Any) -> None:
        """Approved: the project exists, the archive and finance departments are told."""
        from ..initiation_flow import initiation_approved

        initiation_approved(self.env, self)


INITIATION_MODELS = [InitiatorRule, ProjectInitiation]
