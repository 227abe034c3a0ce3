"""Timesheets (``account.analytic.line``, Odoo's model for them): hours per person, day, project
and task; ``amount`` is their cost, ``-(hours × the employee's hourly cost)`` as in Odoo, fixed
when the line is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l

from ..groups import OFFICE
from .common import own_employee, today

COMPUTED = ("amount", "user_id")


class AnalyticLine:
    _name = "account.analytic.line"
    _description = _l("Timesheet")
    _order = "date desc, id desc"
    _scope_fields = ("user_id",)

    name: Mapped[Optional[str]] = fields.Char(_l("Description"))
    date: Mapped[dt.date] = fields.Date(_l("Date"), required=True, index=True,
                                        default=lambda env: today())
    employee_id: Mapped[int] = fields.Many2one("hr.employee", _l("Employee"), required=True,
                                               default=own_employee, ondelete="RESTRICT")
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("User"), readonly=True)
    project_id: Mapped[int] = fields.Many2one("project.project", _l("Project"), required=True,
                                              ondelete="RESTRICT")
    task_id: Mapped[Optional[int]] = fields.Many2one("project.task", _l("Task"))
    unit_amount: Mapped[Decimal] = fields.Decimal(_l("Hours"), digits=(10, 2), required=True)
    amount: Mapped[Decimal] = fields.Monetary(_l("Cost"), readonly=True, default=Decimal(0))

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            for name in COMPUTED:
                vals.pop(name, None)
        records = super().create(env, vals_list)
        for record in records:
            record._fill(env)
        return records

    def write(self, vals: dict[str, Any]) -> None:
        vals = {k: v for k, v in vals.items() if k not in COMPUTED}
        super().write(vals)
        self._fill(self.env)

    def _fill(self, env: Any) -> None:
        """The user of the employee and the cost; only one's own hours unless 项目管理部
        (``env``: the acting user's)."""
        env.session.flush()
        employee = env.session.get(env.registry["hr.employee"], self.employee_id)
        if not env.su and employee.user_id != env.uid and not env.access.has_group(OFFICE):
            raise ValidationError(_("You record your own hours only."), field="employee_id")
        self.user_id = employee.user_id
        rate = Decimal(str(employee.hourly_cost or 0))
        self.amount = -(Decimal(str(self.unit_amount)) * rate).quantize(Decimal("0.01"))

    @constrains("unit_amount")
    def _check_hours(self):
        if self.unit_amount is None or not Decimal(0) < self.unit_amount <= 24:
            raise ValidationError(_("Hours of a day are more than 0 and at most 24."),
                                  field="unit_amount")

    @constrains("task_id", "project_id")
    def _check_task(self):
        if self.task_id:
            task = self.env.sudo()["project.task"].read([self.task_id], ["project_id"])[0]
            if task["project_id"][0] != self.project_id:
                raise ValidationError(_("The task belongs to another project."),
                                      field="task_id")

    @constrains("project_id")
    def _check_project_open(self):
        state = self.env.sudo()["project.project"].read([self.project_id], ["state"])[0]
        if state["state"] in ("done", "cancel"):
            raise ValidationError(_("The project is closed: no more hours on it."),
                                  field="project_id")


TIMESHEET_MODELS = [AnalyticLine]
