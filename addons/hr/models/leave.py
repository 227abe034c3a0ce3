"""Leave (请假): types, yearly allocations, and requests counted in working days on the company
calendar, approved by the department manager, HR above a number of days and the general manager
above more (thresholds are workflow step records HR may change)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import UserError, ValidationError, constrains, depends, fields
from core.i18n import _, _l
from core.workflow import Step, Transition, Workflow

from .employee import OFFICER

#: more days than this go to HR, and more than ``GM_DAYS`` to the general manager too
HR_DAYS, GM_DAYS = 3, 10

LEAVE_STATES = [("draft", _l("To submit")), ("confirm", _l("To approve")),
                ("validate", _l("Approved")), ("refuse", _l("Refused")),
                ("cancel", _l("Cancelled"))]


def own_employee(env: Any) -> int | None:
    """The acting user's employee record (the default of leave and attendance forms)."""
    employee = env.registry["hr.employee"]
    return env.session.scalar(select(employee.id).where(employee.user_id == env.uid,
                                                        employee.active.is_(True)).limit(1))


class LeaveType:
    _name = "hr.leave.type"
    _description = _l("Leave type")
    _order = "sequence, id"

    name: Mapped[str] = fields.Char(_l("Leave type"), required=True)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    requires_allocation: Mapped[bool] = fields.Boolean(_l("Needs an allocation"))
    paid: Mapped[bool] = fields.Boolean(_l("Paid leave"), default=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class Allocation:
    """Days of a leave type granted to an employee for a year (年假 days, 调休 earned…)."""

    _name = "hr.leave.allocation"
    _description = _l("Leave allocation")
    _order = "year desc, employee_id"
    _rec_name = "holiday_status_id"
    _scope_fields = ("employee_id.user_id",)

    employee_id: Mapped[int] = fields.Many2one("hr.employee", _l("Employee"), required=True,
                                               ondelete="CASCADE")
    holiday_status_id: Mapped[int] = fields.Many2one("hr.leave.type", _l("Leave type"),
                                                     required=True)
    year: Mapped[int] = fields.Integer(_l("Year"), required=True,
                                       default=lambda env: dt.date.today().year)
    number_of_days: Mapped[Decimal] = fields.Decimal(_l("Days"), digits=(6, 1), required=True)
    notes: Mapped[Optional[str]] = fields.Char(_l("Notes"))

    @constrains("number_of_days", "year")
    def _check_days(self):
        if self.number_of_days is not None and self.number_of_days < 0:
            raise ValidationError(_("Allocated days cannot be negative."),
                                  field="number_of_days")
        if not 2000 <= self.year <= 2100:
            raise ValidationError(_("Enter a year between 2000 and 2100."), field="year")


class Leave:
    _name = "hr.leave"
    _description = _l("Leave request")
    _order = "request_date_from desc, id desc"
    _rec_name = "employee_id"
    _track = True
    _scope_fields = ("employee_id.user_id",)
    _workflow = Workflow(transitions=(
        Transition("confirm", "draft", "validate", _l("Submit"), pending_state="confirm",
                   reject_to="refuse", approvals=(
                       Step("manager", _l("Department manager"), resolver="department_manager"),
                       Step("hr", _l("HR"), group=OFFICER, threshold_field="number_of_days",
                            threshold=HR_DAYS),
                       Step("general_manager", _l("General manager"),
                            resolver="general_manager", threshold_field="number_of_days",
                            threshold=GM_DAYS))),
        Transition("cancel", ("draft", "refuse"), "cancel", _l("Cancel")),
        Transition("revoke", "validate", "cancel", _l("Cancel approved leave"),
                   groups=(OFFICER,)),
        Transition("reset", ("refuse", "cancel"), "draft", _l("Back to draft")),
    ))

    employee_id: Mapped[int] = fields.Many2one("hr.employee", _l("Employee"), required=True,
                                               default=own_employee, ondelete="CASCADE")
    holiday_status_id: Mapped[int] = fields.Many2one("hr.leave.type", _l("Leave type"),
                                                     required=True)
    request_date_from: Mapped[dt.date] = fields.Date(_l("From"), required=True, index=True)
    request_date_to: Mapped[dt.date] = fields.Date(_l("To"), required=True)
    number_of_days: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Working days"), digits=(6, 1), compute="_compute_days", store=True,
        help=_l("Counted on the company's working calendar (holidays and 调休 included)."))
    name: Mapped[Optional[str]] = fields.Char(_l("Reason"))
    state: Mapped[Optional[str]] = fields.Selection(LEAVE_STATES, _l("Status"), default="draft")

    @depends("request_date_from", "request_date_to")
    def _compute_days(self):
        from ..workdays import company_calendar, working_days

        start, end = self.request_date_from, self.request_date_to
        self.number_of_days = Decimal(len(working_days(
            self.env, company_calendar(self.env), start, end))) if start and end else None

    @constrains("request_date_from", "request_date_to")
    def _check_dates(self):
        if self.request_date_to < self.request_date_from:
            raise ValidationError(_("The leave cannot end before it starts."),
                                  field="request_date_to")
        if not self.number_of_days:
            raise ValidationError(_("These dates hold no working day."),
                                  field="request_date_to")

    def _before_confirm(self, ctx):
        from ..balances import remaining_days

        leaves = self.env.sudo()["hr.leave"]
        if leaves.search_count([
                ("employee_id", "=", self.employee_id), ("id", "!=", self.id),
                ("state", "in", ["confirm", "validate"]),
                ("request_date_from", "<=", self.request_date_to.isoformat()),
                ("request_date_to", ">=", self.request_date_from.isoformat())]):
            raise UserError(_("Another leave request of these days exists."))
        leave_type = self.env.sudo()["hr.leave.type"].read([self.holiday_status_id],
                                                           ["requires_allocation", "name"])[0]
        if leave_type["requires_allocation"]:
            left = remaining_days(self.env, self.employee_id, self.holiday_status_id,
                                  self.request_date_from.year)
            if self.number_of_days > left:
                raise UserError(_("Only %(left)s days of %(type)s are left for %(year)s.",
                                  left=left, type=leave_type["name"],
                                  year=self.request_date_from.year))


LEAVE_MODELS = [LeaveType, Allocation, Leave]
