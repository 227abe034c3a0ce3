"""Transfers and promotions (调岗/晋升) with approval, and the hand-over checklist of a
resignation (离职)."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l
from core.workflow import Step, Transition, Workflow

from .employee import OFFICER

KINDS = [("transfer", _l("Transfer (调岗)")), ("promotion", _l("Promotion (晋升)"))]
TRANSFER_STATES = [("draft", _l("Draft")), ("to_approve", _l("To approve")),
                   ("done", _l("Done")), ("cancel", _l("Cancelled"))]


class Transfer:
    """Moves an employee to another department and post once approved; the record stays as the
    employee's history (from and to)."""

    _name = "hr.employee.transfer"
    _description = _l("Transfer or promotion")
    _order = "date desc, id desc"
    _rec_name = "employee_id"
    _track = True
    _workflow = Workflow(transitions=(
        Transition("submit", "draft", "done", _l("Submit"), pending_state="to_approve",
                   reject_to="draft", approvals=(
                       Step("manager", _l("Department manager"), resolver="department_manager"),
                       Step("general_manager", _l("General manager"),
                            resolver="general_manager"))),
        Transition("cancel", ("draft", "to_approve"), "cancel", _l("Cancel"), groups=(OFFICER,)),
    ))

    employee_id: Mapped[int] = fields.Many2one("hr.employee", _l("Employee"), required=True,
                                               ondelete="CASCADE")
    kind: Mapped[str] = fields.Selection(KINDS, _l("Kind"), required=True, default="transfer")
    date: Mapped[dt.date] = fields.Date(_l("Effective date"), required=True)
    old_department_id: Mapped[Optional[int]] = fields.Many2one(
        "hr.department", _l("From department"), readonly=True)
    old_job_id: Mapped[Optional[int]] = fields.Many2one("hr.job", _l("From post"),
                                                        readonly=True)
    department_id: Mapped[Optional[int]] = fields.Many2one("hr.department",
                                                           _l("To department"))
    job_id: Mapped[Optional[int]] = fields.Many2one("hr.job", _l("To post"))
    reason: Mapped[Optional[str]] = fields.Text(_l("Reason"))
    state: Mapped[Optional[str]] = fields.Selection(TRANSFER_STATES, _l("Status"),
                                                    default="draft")

    def _after_submit(self, ctx):
        """Approved: the employee moves; their main post is replaced (other posts stay), so
        the groups follow."""
        employees = self.env["hr.employee"]
        current = employees.read([self.employee_id], ["department_id", "job_id", "job_ids"])[0]
        old_job = current["job_id"][0] if current["job_id"] else None
        self.env["hr.employee.transfer"].write([self.id], {
            "old_department_id": current["department_id"][0] if current["department_id"]
            else False, "old_job_id": old_job or False})
        vals: dict = {}
        if self.department_id:
            vals["department_id"] = self.department_id
        if self.job_id:
            jobs = [j for j in current["job_ids"] if j != old_job]
            vals.update(job_id=self.job_id, job_ids=[(6, 0, sorted({*jobs, self.job_id}))])
        if vals:
            employees.write([self.employee_id], vals)


class DepartureItem:
    """One hand-over task of a leaving employee (工作交接)."""

    _name = "hr.departure.item"
    _description = _l("Hand-over task")
    _order = "employee_id, sequence, id"

    employee_id: Mapped[int] = fields.Many2one("hr.employee", _l("Employee"), required=True,
                                               ondelete="CASCADE")
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    name: Mapped[str] = fields.Char(_l("Task"), required=True)
    responsible_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Taken over by"))
    done: Mapped[bool] = fields.Boolean(_l("Done"))


MOVEMENT_MODELS = [Transfer, DepartureItem]
