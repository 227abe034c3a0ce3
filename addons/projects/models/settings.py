"""What an administrator sets per company for projects (Settings › Companies): the amount above
which the general manager approves initiation requests too, and the departments that receive an
approved request (the archive and the finance copy)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l

#: the default amount (CNY) above which an initiation request goes to the general manager
SPECIAL_AMOUNT = Decimal("1000000")


class CompanyProjectSettings:
    _inherit = "res.company"

    project_special_amount: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Projects: general manager approves above"), default=SPECIAL_AMOUNT,
        help=_l("Initiation requests whose expected contract amount is above this go to the "
                "general manager too, as special projects do."))
    project_archive_department_id: Mapped[Optional[int]] = fields.Many2one(
        "hr.department", _l("Projects: archive department"),
        help=_l("Receives approved initiation requests for the archive (商务拓展部)."))
    project_finance_department_id: Mapped[Optional[int]] = fields.Many2one(
        "hr.department", _l("Projects: finance department"),
        help=_l("Receives a copy of approved initiation requests, the basis of the presales "
                "expense record (财务部)."))

    @constrains("project_special_amount")
    def _check_special_amount(self):
        if self.project_special_amount is not None and self.project_special_amount < 0:
            raise ValidationError(_("The amount cannot be negative."),
                                  field="project_special_amount")


def company_of(env: Any, record: Any) -> Any:
    """The company whose settings apply to ``record`` (its own, else the first)."""
    company = env.registry["res.company"]
    company_id = getattr(record, "company_id", None)
    if company_id:
        return env.session.get(company, company_id)
    from sqlalchemy import select

    return env.session.scalar(select(company).order_by(company.id).limit(1))


SETTINGS_MODELS = [CompanyProjectSettings]
