"""Follow-ups (客户跟进): every contact with a customer, with its outcome and the next step.

Logging a follow-up with a next follow-up date plans an activity for the salesperson; logging the
next follow-up of the same customer closes the previous one's pending next step (and its
activity). Follow-ups opened from a complaint start as to-dos and close the complaint when done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import fields, public
from core.activity import schedule
from core.errors import UserError
from core.i18n import _, _l
from core.models import utcnow

METHODS = [("phone", _l("Phone")), ("visit", _l("Visit")), ("email", _l("Email")),
           ("wechat", _l("WeChat")), ("meeting", _l("Meeting")), ("other", _l("Other"))]
RESULTS = [("interested", _l("Interested")), ("need_info", _l("Needs more information")),
           ("quotation", _l("Asked for a quotation")), ("negotiating", _l("Negotiating")),
           ("signed", _l("Signed")), ("no_interest", _l("Not interested")),
           ("unreachable", _l("Could not reach")), ("resolved", _l("Problem resolved")),
           ("other", _l("Other"))]
STATES = [("todo", _l("To do")), ("done", _l("Done"))]


class Followup:
    _name = "crm.followup"
    _description = _l("Follow-up")
    _order = "date desc, id desc"
    _rec_name = "summary"

    summary: Mapped[str] = fields.Char(_l("Subject"), required=True)
    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Customer"), required=True,
                                              ondelete="CASCADE")
    contact_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Contact person"))
    user_id: Mapped[Optional[int]] = fields.Many2one(
        "res.users", _l("Salesperson"), default=lambda env: env.uid)
    method: Mapped[str] = fields.Selection(METHODS, _l("Method"), required=True, default="phone")
    date: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Time"), default=lambda env: utcnow(),
                                                          index=True)
    description: Mapped[Optional[str]] = fields.Text(_l("Communication details"))
    result: Mapped[Optional[str]] = fields.Selection(RESULTS, _l("Result"))
    result_note: Mapped[Optional[str]] = fields.Text(_l("Result details"))
    next_step: Mapped[Optional[str]] = fields.Char(_l("Next step"))
    next_date: Mapped[Optional[dt.date]] = fields.Date(_l("Next follow-up"), index=True)
    next_done: Mapped[bool] = fields.Boolean(_l("Next step taken"))
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="done", index=True)
    is_complaint: Mapped[bool] = fields.Boolean(_l("Complaint"))
    visit_id: Mapped[Optional[int]] = fields.Many2one("crm.visit", _l("From return visit"))
    lead_id: Mapped[Optional[int]] = fields.Many2one("crm.lead", _l("Opportunity"))
    activity_id: Mapped[Optional[int]] = fields.Many2one("mail.activity", _l("Planned activity"),
                                                         readonly=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        records = super().create(env, vals_list)
        for record in records:
            record._close_previous()
            record._plan_activity()
        return records

    def write(self, vals: dict[str, Any]) -> None:
        super().write(vals)
        if vals.get("next_date") and not self.next_done:
            self._plan_activity()

    def _close_previous(self) -> None:
        """Logging a follow-up takes the pending next step of the customer's earlier ones."""
        if self.state != "done":
            return
        cls = type(self)
        earlier = self.env.session.scalars(select(cls).where(
            cls.partner_id == self.partner_id, cls.id != self.id, cls.next_done.is_(False),
            cls.next_date.is_not(None), cls.date <= (self.date or utcnow())))
        for previous in earlier:
            previous.next_done = True
            _finish_activity(self.env, previous.activity_id)

    def _plan_activity(self) -> None:
        """An activity for the salesperson on the next follow-up date (or now, for a to-do)."""
        deadline = self.next_date if self.state == "done" else (self.next_date or dt.date.today())
        if deadline is None:
            return
        summary = self.next_step or (_("Complaint: %(subject)s", subject=self.summary)
                                     if self.is_complaint else _("Follow up %(subject)s",
                                                                 subject=self.summary))
        _finish_activity(self.env, self.activity_id)
        self.activity_id = schedule(self.env.sudo(), "crm.followup", self.id, summary[:255],
                                    deadline, user_id=self.user_id or self.env.uid,
                                    activity_type="follow_up")

    @public
    def action_done(self, result: str | None = None, result_note: str | None = None) -> None:
        """Close a to-do follow-up (a complaint); its outcome is required."""
        if result:
            self.env["crm.followup"].write([self.id], {"result": result,
                                                       "result_note": result_note or False})
        if not self.result:
            raise UserError(_("Record the result of %(name)s before closing it.",
                              name=self.summary))
        self.state = "done"
        self.date = utcnow()
        _finish_activity(self.env, self.activity_id)
        if self.visit_id:
            visit = self.env.session.get(self.env.registry["crm.visit"], self.visit_id)
            if visit is not None and visit.complaint_state == "open":
                visit.complaint_state = "closed"


def _finish_activity(env: Any, activity_id: int | None) -> None:
    """Mark a planned activity done (as the system: the salesperson may have planned it)."""
    if not activity_id:
        return
    activity = env.session.get(env.registry["mail.activity"], activity_id)
    if activity is not None and not activity.done:
        activity.done = True
        activity.done_date = utcnow()


FOLLOWUP_MODELS = [Followup]
