"""The cost rate of an employee's hour (Odoo's ``hourly_cost``), what a timesheet hour costs a
project."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l


class EmployeeCost:
    _inherit = "hr.employee"

    hourly_cost: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Hourly cost"), default=Decimal(0),
        help=_l("What an hour of this employee costs a project (timesheets × this rate)."))

    @constrains("hourly_cost")
    def _check_hourly_cost(self):
        if self.hourly_cost is not None and self.hourly_cost < 0:
            raise ValidationError(_("The hourly cost cannot be negative."), field="hourly_cost")


EMPLOYEE_MODELS = [EmployeeCost]
