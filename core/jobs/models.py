"""``ir.cron`` (scheduled jobs) and ``queue.job`` (one-off jobs), kept by the base addon.

Administrators read and edit scheduled jobs through every door (list, form, RPC): pause or resume
one, change its schedule, run it now. One-off jobs are history written by the worker
(``_engine_only``); a user reads their own, administrators all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from .. import fields
from ..errors import ValidationError
from ..i18n import _, _l
from ..models import constrains, public, utcnow
from .declare import check_cron_expression, next_call

INTERVALS = [("minutes", _l("Minute(s)")), ("hours", _l("Hour(s)")), ("days", _l("Day(s)")),
             ("weeks", _l("Week(s)")), ("months", _l("Month(s)"))]
CRON_STATES = [("idle", _l("Waiting")), ("queued", _l("Queued")), ("running", _l("Running")),
               ("done", _l("Succeeded")), ("retrying", _l("Failed, will retry")),
               ("failed", _l("Failed"))]
JOB_STATES = [("pending", _l("Pending")), ("started", _l("Running")), ("done", _l("Done")),
              ("retrying", _l("Failed, will retry")), ("failed", _l("Failed"))]


class Cron:
    _name = "ir.cron"
    _description = _l("Scheduled job")
    _order = "name"

    name: Mapped[str] = fields.Char(_l("Name"), required=True, translate=True)
    code: Mapped[str] = fields.Char(_l("Job"), size=128, required=True, unique=True,
                                    readonly=True, code=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)
    interval_number: Mapped[Optional[int]] = fields.Integer(_l("Every"), default=1)
    interval_type: Mapped[Optional[str]] = fields.Selection(INTERVALS, _l("Interval unit"),
                                                           default="days")
    cron_expression: Mapped[Optional[str]] = fields.Char(_l("Cron expression"), size=64)
    nextcall: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Next run"), index=True)
    lastcall: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Last run"), readonly=True)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Runs as"))
    state: Mapped[Optional[str]] = fields.Selection(CRON_STATES, _l("State"), default="idle",
                                                    readonly=True)
    last_error: Mapped[Optional[str]] = fields.Text(_l("Last error"), readonly=True)
    duration: Mapped[Optional[Decimal]] = fields.Decimal(_l("Duration (s)"), digits=(12, 3),
                                                         readonly=True)

    @constrains("cron_expression", "interval_number")
    def _check_schedule(self) -> None:
        if self.cron_expression:
            check_cron_expression(self.cron_expression)
        if (self.interval_number or 0) < 1 and not self.cron_expression:
            raise ValidationError(_("A scheduled job needs an interval of at least 1, or a "
                                    "cron expression."), field="interval_number")

    @public
    def action_pause(self) -> None:
        """Stop running it on schedule (it can still be run now)."""
        self.env["ir.cron"].write([self.id], {"active": False})

    @public
    def action_resume(self) -> None:
        """Run it on schedule again, next at its next due time from now."""
        nextcall = next_call(None, utcnow(), self.interval_number or 1,
                             self.interval_type or "days", self.cron_expression)
        self.env["ir.cron"].write([self.id], {"active": True, "nextcall": nextcall})

    @public
    def action_run_now(self) -> None:
        """Queue one run now (as its user), whatever its schedule."""
        from .queue import queue_of

        self.state = "queued"
        queue_of(self.env).submit_cron(self.env, self.id)


class QueueJob:
    _name = "queue.job"
    _description = _l("Background job")
    _order = "id desc"
    _engine_only = True

    name: Mapped[str] = fields.Char(_l("Name"), required=True)
    function: Mapped[str] = fields.Char(_l("Function"), required=True)
    arguments: Mapped[Optional[str]] = fields.Text(_l("Arguments"))
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("User"), index=True)
    state: Mapped[str] = fields.Selection(JOB_STATES, _l("State"), default="pending",
                                          index=True)
    attempts: Mapped[Optional[int]] = fields.Integer(_l("Attempts"), default=0)
    date_started: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Started"))
    date_done: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Finished"))
    duration: Mapped[Optional[Decimal]] = fields.Decimal(_l("Duration (s)"), digits=(12, 3))
    error: Mapped[Optional[str]] = fields.Text(_l("Error"))
    result_url: Mapped[Optional[str]] = fields.Char(_l("Result link"), size=512)
    result_name: Mapped[Optional[str]] = fields.Char(_l("Result name"))


def job_values(job: Any) -> dict[str, Any]:
    """What the progress page and its JSON show of a ``queue.job`` row."""
    return {"id": job.id, "name": job.name, "state": job.state, "error": job.error,
            "result_url": job.result_url, "result_name": job.result_name}


JOB_MODELS = [Cron, QueueJob]
