"""The stored monthly figures of each project (written by the monthly cost job)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l


class CostMonth:
    _name = "project.cost.month"
    _description = _l("Monthly project costs")
    _order = "month desc, project_id"
    _rec_name = "project_id"

    project_id: Mapped[int] = fields.Many2one("project.project", _l("Project"), required=True,
                                              ondelete="CASCADE")
    month: Mapped[dt.date] = fields.Date(_l("Month"), required=True, index=True)
    hours: Mapped[Optional[Decimal]] = fields.Decimal(_l("Hours"), digits=(12, 2))
    timesheet_cost: Mapped[Optional[Decimal]] = fields.Monetary(_l("Timesheet cost"))
    presales_cost: Mapped[Optional[Decimal]] = fields.Monetary(_l("Presales expenses"))
    expense_cost: Mapped[Optional[Decimal]] = fields.Monetary(_l("Other expense claims"))
    purchase_cost: Mapped[Optional[Decimal]] = fields.Monetary(_l("Purchases charged"))
    total: Mapped[Optional[Decimal]] = fields.Monetary(_l("Month total"))
    actual_to_date: Mapped[Optional[Decimal]] = fields.Monetary(_l("Actual to date"))
    budget: Mapped[Optional[Decimal]] = fields.Monetary(_l("Cost budget"))
    remaining: Mapped[Optional[Decimal]] = fields.Monetary(_l("Remaining budget"))


COST_MODELS = [CostMonth]
