"""Fiscal years and their monthly periods; closing a period locks it against posting."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import UserError, ValidationError, constrains, fields, public
from core.i18n import _, _l

PERIOD_STATES = [("open", _l("Open for posting")), ("closed", _l("Closed for posting"))]
CHIEF = "accounting.group_chief"


def month_end(day: dt.date) -> dt.date:
    first_next = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_next - dt.timedelta(days=1)


class FiscalYear:
    _name = "account.fiscal.year"
    _description = _l("Fiscal year")
    _order = "date_from desc"

    name: Mapped[str] = fields.Char(_l("Fiscal year"), size=16, required=True, unique=True)
    date_from: Mapped[dt.date] = fields.Date(_l("Start date"), required=True)
    date_to: Mapped[dt.date] = fields.Date(_l("End date"), required=True)
    period_ids = fields.One2many("account.period", "fiscal_year_id", _l("Periods"))

    @constrains("date_from", "date_to")
    def _check_dates(self) -> None:
        if self.date_to <= self.date_from:
            raise ValidationError(_("A fiscal year ends after it starts."), field="date_to")

    @public
    def action_create_periods(self) -> int:
        """Create the missing monthly periods of this year; returns how many were created."""
        periods = self.env.sudo()["account.period"]
        existing = {p["code"] for p in periods.search_read(
            [("fiscal_year_id", "=", self.id)], ["code"])}
        created, start = 0, self.date_from
        while start <= self.date_to:
            end = min(month_end(start), self.date_to)
            code = start.strftime("%Y-%m")
            if code not in existing:
                periods.create({"name": code, "code": code, "date_from": start, "date_to": end,
                                "fiscal_year_id": self.id})
                created += 1
            start = end + dt.timedelta(days=1)
        return created


class Period:
    _name = "account.period"
    _description = _l("Accounting period")
    _order = "date_from"

    name: Mapped[str] = fields.Char(_l("Period"), size=32, required=True)
    code: Mapped[str] = fields.Char(_l("Code"), size=16, required=True, unique=True)
    date_from: Mapped[dt.date] = fields.Date(_l("Start date"), required=True, index=True)
    date_to: Mapped[dt.date] = fields.Date(_l("End date"), required=True, index=True)
    fiscal_year_id: Mapped[int] = fields.Many2one("account.fiscal.year", _l("Fiscal year"),
                                                  required=True, ondelete="CASCADE")
    state: Mapped[Optional[str]] = fields.Selection(PERIOD_STATES, _l("Status"), default="open",
                                                    readonly=True)

    def write(self, vals: dict[str, Any]) -> None:
        if "state" in vals and vals["state"] != self.state:
            raise ValidationError(_("Close or reopen a period with its buttons."), field="state")
        super().write(vals)

    @public
    def action_close(self) -> None:
        """Month-end close: let other addons book their month-end entries, transfer profit and
        loss to 4103 本年利润, then lock the period (chief accountant only)."""
        from .closing import close_period

        if not self.env.access.has_group(CHIEF):
            raise UserError(_("Only the chief accountant may close a period."))
        if self.state == "closed":
            raise UserError(_("The period %(period)s is already closed.", period=self.name))
        close_period(self)

    @public
    def action_reopen(self) -> None:
        """Reopen a closed period (chief accountant only); its closing entry stays, and closing
        again transfers only what changed since."""
        if not self.env.access.has_group(CHIEF):
            raise UserError(_("Only the chief accountant may reopen a period."))
        self.state = "open"


def period_for(env: Any, day: dt.date, create: bool = True) -> Any:
    """The ``account.period`` ORM record containing ``day``; the fiscal year (calendar year)
    and its monthly periods are created on first use when ``create``."""
    cls = env.registry["account.period"]
    query = select(cls).where(cls.date_from <= day, cls.date_to >= day)
    period = env.session.scalars(query).first()
    if period is None and create:
        years = env.sudo()["account.fiscal.year"]
        name = str(day.year)
        found = years.search([("name", "=", name)], limit=1)
        year_id = found[0] if found else years.create({
            "name": name, "date_from": dt.date(day.year, 1, 1),
            "date_to": dt.date(day.year, 12, 31)})
        years.browse_unchecked([year_id])[0].action_create_periods()
        period = env.session.scalars(query).first()
    if period is None:
        raise UserError(_("No accounting period contains %(date)s; create its fiscal year "
                          "first.", date=day.isoformat()))
    return period


PERIOD_MODELS = [FiscalYear, Period]
