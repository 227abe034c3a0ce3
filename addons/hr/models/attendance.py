"""Attendance (考勤): check in and out, from the web or a clock device's CSV. The local day and
minutes of each punch are stored with it (from the calendar's time zone), so the monthly summary
is one portable GROUP BY."""

from __future__ import annotations

import datetime as dt
from typing import Optional
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, depends, fields
from core.i18n import _, _l

from .leave import own_employee


def local_zone(env) -> ZoneInfo:
    calendar = env.registry["resource.calendar"]
    name = env.session.scalar(select(calendar.tz).order_by(calendar.id).limit(1))
    return ZoneInfo(name or "Asia/Shanghai")


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC).astimezone(zone)


class Attendance:
    _name = "hr.attendance"
    _description = _l("Attendance")
    _order = "check_in desc, id desc"
    _rec_name = "employee_id"
    _scope_fields = ("employee_id.user_id",)

    employee_id: Mapped[int] = fields.Many2one("hr.employee", _l("Employee"), required=True,
                                               default=own_employee, ondelete="CASCADE")
    check_in: Mapped[dt.datetime] = fields.Datetime(_l("Check in"), required=True, index=True)
    check_out: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Check out"))
    day: Mapped[Optional[dt.date]] = fields.Date(_l("Day"), index=True, compute="_localize",
                                                 store=True)
    check_in_minute: Mapped[Optional[int]] = fields.Integer(
        _l("Check-in minute"), compute="_localize", store=True)
    check_out_minute: Mapped[Optional[int]] = fields.Integer(
        _l("Check-out minute"), compute="_localize", store=True)

    @depends("check_in", "check_out")
    def _localize(self):
        """The local day and minutes of the punches (the calendar's time zone)."""
        if not self.check_in:
            self.day = self.check_in_minute = self.check_out_minute = None
            return
        zone = local_zone(self.env)
        start = _local(self.check_in, zone)
        self.day = start.date()
        self.check_in_minute = start.hour * 60 + start.minute
        if self.check_out:
            end = _local(self.check_out, zone)
            self.check_out_minute = (end.hour * 60 + end.minute
                                     + (24 * 60 if end.date() > start.date() else 0))
        else:
            self.check_out_minute = None

    @constrains("check_in", "check_out")
    def _check_times(self):
        if self.check_out and self.check_out < self.check_in:
            raise ValidationError(_("Check out cannot be before check in."), field="check_out")


ATTENDANCE_MODELS = [Attendance]
