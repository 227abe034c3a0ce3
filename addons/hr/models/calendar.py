"""The company's working calendar: office hours, Monday to Friday, and per-year data an HR
officer maintains: public holidays and the adjusted working days (调休上班) on weekends."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l

DAY_KINDS = [("holiday", _l("Public holiday")), ("workday", _l("Adjusted working day (调休上班)"))]


class Calendar:
    _name = "resource.calendar"
    _description = _l("Working calendar")

    name: Mapped[str] = fields.Char(_l("Calendar name"), required=True)
    tz: Mapped[Optional[str]] = fields.Char(_l("Time zone"), size=64, default="Asia/Shanghai")
    hour_from: Mapped[Optional[Decimal]] = fields.Decimal(_l("Work starts (hour)"),
                                                          digits=(4, 2), default=Decimal("9"))
    hour_to: Mapped[Optional[Decimal]] = fields.Decimal(_l("Work ends (hour)"), digits=(4, 2),
                                                        default=Decimal("18"))
    leave_ids = fields.One2many("resource.calendar.leaves", "calendar_id",
                                _l("Holidays and adjusted working days"))

    @constrains("hour_from", "hour_to")
    def _check_hours(self):
        if not (0 <= (self.hour_from or 0) < (self.hour_to or 24) <= 24):
            raise ValidationError(_("Work must start before it ends, within the day."),
                                  field="hour_to")


class CalendarLeave:
    """A public holiday (a span of days off) or an adjusted working day (a weekend day worked)."""

    _name = "resource.calendar.leaves"
    _description = _l("Holiday or adjusted working day")
    _order = "date_from"

    name: Mapped[str] = fields.Char(_l("Reason"), required=True)
    calendar_id: Mapped[int] = fields.Many2one("resource.calendar", _l("Working calendar"),
                                               required=True, ondelete="CASCADE")
    kind: Mapped[str] = fields.Selection(DAY_KINDS, _l("Kind"), required=True,
                                         default="holiday")
    date_from: Mapped[dt.date] = fields.Date(_l("From"), required=True)
    date_to: Mapped[dt.date] = fields.Date(_l("To"), required=True)

    @constrains("date_from", "date_to")
    def _check_dates(self):
        if self.date_to < self.date_from:
            raise ValidationError(_("The end cannot be before the start."), field="date_to")


CALENDAR_MODELS = [Calendar, CalendarLeave]
