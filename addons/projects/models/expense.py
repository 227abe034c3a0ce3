"""Expense claims charged to a project (``hr.expense``, Odoo's name): the employee claims, their
department manager and 财务部 approve; approved claims count in the project's monthly costs
(presales expenses apart)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.errors import UserError
from core.i18n import _, _l
from core.workflow import Step, Transition, Workflow

from ..groups import FINANCE, OFFICE
from .common import check_editable, next_number, own_employee, today

STATES = [("draft", _l("To submit")), ("reported", _l("Submitted")),
          ("approved", _l("Approved")), ("cancel", _l("Cancelled"))]
CATEGORIES = [("presales", _l("Presales expenses (售前费用)")), ("travel", _l("Travel")),
              ("material", _l("Materials")), ("entertainment", _l("Entertainment")),
              ("other", _l("Other"))]

EXPENSE_WORKFLOW = Workflow(transitions=(
    Transition("submit", "draft", "approved", _l("Submit"), pending_state="reported",
               reject_to="draft", approvals=(
                   Step("department_manager", _l("Department manager approves"),
                        resolver="department_manager"),
                   Step("finance", _l("Finance checks (财务审核)"), group=FINANCE))),
    Transition("cancel", "draft", "cancel", _l("Cancel")),
    Transition("reset", "cancel", "draft", _l("Back to draft")),
))


class Expense:
    _name = "hr.expense"
    _description = _l("Expense claim")
    _order = "date desc, id desc"
    _track = True
    _workflow = EXPENSE_WORKFLOW
    _edit_states = ("draft",)
    _scope_fields = ("employee_id.user_id",)

    number: Mapped[Optional[str]] = fields.Char(_l("Number"), size=32, index=True, readonly=True)
    name: Mapped[str] = fields.Char(_l("Description"), required=True)
    employee_id: Mapped[int] = fields.Many2one("hr.employee", _l("Employee"), required=True,
                                               default=own_employee, ondelete="RESTRICT")
    project_id: Mapped[int] = fields.Many2one("project.project", _l("Project"), required=True,
                                              ondelete="RESTRICT")
    date: Mapped[dt.date] = fields.Date(_l("Expense date"), required=True, index=True,
                                        default=lambda env: today())
    category: Mapped[str] = fields.Selection(CATEGORIES, _l("Category"), required=True,
                                             default="other")
    total_amount: Mapped[Decimal] = fields.Monetary(_l("Amount"), required=True)
    description: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="draft", readonly=True,
                                          index=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            vals["number"] = next_number(env, "hr.expense")
            if not env.su and vals.get("employee_id") not in (None, own_employee(env)) and \
                    not env.access.has_group(OFFICE):
                raise ValidationError(_("You claim your own expenses only."),
                                      field="employee_id")
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        if not self.env.su:
            check_editable(self, vals, {"draft": (None, ("*",))})
        super().write(vals)

    def unlink(self) -> None:
        if self.state not in ("draft", "cancel"):
            raise UserError(_("Only claims not yet submitted can be deleted."))
        super().unlink()

    @constrains("total_amount")
    def _check_amount(self):
        if self.total_amount is None or self.total_amount <= 0:
            raise ValidationError(_("The amount of a claim must be positive."),
                                  field="total_amount")


EXPENSE_MODELS = [Expense]
