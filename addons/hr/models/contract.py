"""Labour contracts (劳动合同): type and dates; expiry reminders go to HR."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l

from .employee import OFFICER

CONTRACT_TYPES = [("fixed", _l("Fixed term")), ("open", _l("Open-ended")),
                  ("task", _l("Task-based")), ("internship", _l("Internship")),
                  ("service", _l("Labour service"))]
CONTRACT_STATES = [("draft", _l("New")), ("open", _l("Running")), ("close", _l("Expired")),
                   ("cancel", _l("Cancelled"))]


class Contract:
    _name = "hr.contract"
    _description = _l("Labour contract")
    _order = "date_start desc, id desc"
    _track = True

    name: Mapped[str] = fields.Char(_l("Contract reference"), required=True)
    employee_id: Mapped[int] = fields.Many2one("hr.employee", _l("Employee"), required=True,
                                               ondelete="CASCADE")
    contract_type: Mapped[Optional[str]] = fields.Selection(CONTRACT_TYPES, _l("Contract type"),
                                                            default="fixed")
    date_start: Mapped[dt.date] = fields.Date(_l("Start date"), required=True)
    date_end: Mapped[Optional[dt.date]] = fields.Date(_l("End date"))
    trial_date_end: Mapped[Optional[dt.date]] = fields.Date(_l("End of trial period"))
    wage: Mapped[Optional[Decimal]] = fields.Monetary(_l("Monthly wage"), groups=OFFICER)
    state: Mapped[Optional[str]] = fields.Selection(CONTRACT_STATES, _l("Status"),
                                                    default="open")
    reminded: Mapped[bool] = fields.Boolean(_l("Expiry reminded"), readonly=True)

    @constrains("date_start", "date_end", "contract_type")
    def _check_dates(self):
        if self.date_end and self.date_end < self.date_start:
            raise ValidationError(_("A contract cannot end before it starts."),
                                  field="date_end")
        if self.contract_type == "fixed" and not self.date_end:
            raise ValidationError(_("A fixed-term contract needs an end date."),
                                  field="date_end")


CONTRACT_MODELS = [Contract]
