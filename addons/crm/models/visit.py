"""Return visits (回访) by customer service: planned by rule or by hand, then performed.

A visit records satisfaction, feedback and whether the customer complained. A complaint opens a
to-do follow-up for the customer's salesperson; closing that follow-up closes the complaint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from core import fields, public
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.models import utcnow
from core.translate import N_, gettext_for

STATES = [("planned", _l("Planned")), ("done", _l("Done")), ("cancelled", _l("Cancelled"))]
ORIGINS = [("manual", _l("By hand")), ("rule", _l("By rule"))]
SATISFACTION = [("1", _l("1 - Very dissatisfied")), ("2", _l("2 - Dissatisfied")),
                ("3", _l("3 - Neutral")), ("4", _l("4 - Satisfied")),
                ("5", _l("5 - Very satisfied"))]
COMPLAINT_STATES = [("none", _l("No complaint")), ("open", _l("Open")),
                    ("closed", _l("Closed"))]
SERVICE_GROUP = "crm.group_service"


def _default_agent(env: Any) -> int | None:
    """Customer service plans visits for themselves; others' go to the least busy agent."""
    if env.uid is None:
        return None
    if env.access.has_group(SERVICE_GROUP):
        return env.uid
    return _least_busy_agent(env)


class Visit:
    _name = "crm.visit"
    _description = _l("Return visit")
    _order = "planned_date desc, id desc"

    name: Mapped[str] = fields.Char(_l("Subject"), required=True)
    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Customer"), required=True,
                                              ondelete="CASCADE")
    contact_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Contact person"))
    contract_id: Mapped[Optional[int]] = fields.Many2one("crm.contract", _l("Contract"))
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Customer service"),
                                                     default=lambda env: _default_agent(env))
    planned_date: Mapped[dt.date] = fields.Date(_l("Planned for"), required=True, index=True,
                                                default=lambda env: dt.date.today())
    date_done: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Visited on"))
    origin: Mapped[str] = fields.Selection(ORIGINS, _l("Planned"), default="manual")
    rule_id: Mapped[Optional[int]] = fields.Many2one("crm.visit.rule", _l("Rule"))
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="planned", index=True)
    satisfaction: Mapped[Optional[str]] = fields.Selection(SATISFACTION, _l("Satisfaction"))
    feedback: Mapped[Optional[str]] = fields.Text(_l("Feedback"))
    is_complaint: Mapped[bool] = fields.Boolean(_l("Complaint"))
    complaint_state: Mapped[str] = fields.Selection(COMPLAINT_STATES, _l("Complaint status"),
                                                    default="none", index=True)
    followup_ids = fields.One2many("crm.followup", "visit_id", _l("Complaint follow-ups"))

    @public
    def action_done(self, satisfaction: str | None = None, feedback: str | None = None,
                    is_complaint: bool | None = None) -> int | None:
        """Record the visit; a complaint opens a follow-up for the salesperson (its id returned)."""
        if self.state != "planned":
            raise UserError(_("Only a planned visit can be recorded."))
        values = {k: v for k, v in (("satisfaction", satisfaction), ("feedback", feedback),
                                    ("is_complaint", is_complaint)) if v is not None}
        if values:
            self.env["crm.visit"].write([self.id], values)
        if not self.satisfaction:
            raise ValidationError(_("Give the customer's satisfaction score to record the visit."),
                                  field="satisfaction")
        self.state = "done"
        self.date_done = utcnow()
        if self.is_complaint:
            return self._open_complaint()
        return None

    def _open_complaint(self) -> int:
        env = self.env
        partner = env.session.get(env.registry["res.partner"], self.partner_id)
        salesperson = partner.user_id if partner is not None else None
        owner = env.session.get(env.registry["res.users"], salesperson or env.uid)
        summary = gettext_for(owner.lang if owner is not None else env.lang,  # the owner's words
                              N_("Complaint from return visit: %(name)s"), name=self.name)
        followup_id = env.sudo()["crm.followup"].create({
            "summary": summary[:255],
            "partner_id": self.partner_id, "contact_id": self.contact_id or False,
            "user_id": salesperson or env.uid, "method": "phone", "state": "todo",
            "is_complaint": True, "visit_id": self.id,
            "description": self.feedback or False, "next_date": dt.date.today().isoformat()})
        assert isinstance(followup_id, int)
        self.complaint_state = "open"
        return followup_id

    @public
    def action_cancel(self) -> None:
        if self.state != "planned":
            raise UserError(_("Only a planned visit can be cancelled."))
        self.state = "cancelled"


def plan_from_rules(env: Any, trigger: str, partner_id: int, base_date: dt.date,
                    contract_id: int | None = None, reference: str = "") -> list[int]:
    """Plan the return visits that the active rules of ``trigger`` ask for.

    Called by the CRM when a contract starts, and by other addons (deliveries) through
    ``env["crm.visit"].cls``'s module helper :func:`plan_from_rules`. Visits are assigned to the
    rule's user or else to the customer-service member with the fewest planned visits.
    """
    sudo = env.sudo()
    rules = sudo["crm.visit.rule"].search_read([("trigger", "=", trigger)],
                                               ["name", "days", "user_id"])
    created = []
    for rule in rules:
        user_id = rule["user_id"][0] if rule["user_id"] else _least_busy_agent(env)
        visit_id = sudo["crm.visit"].create({
            "name": f"{rule['name']} {reference}".strip()[:255], "partner_id": partner_id,
            "contract_id": contract_id or False, "user_id": user_id or False,
            "planned_date": (base_date + dt.timedelta(days=int(rule["days"]))).isoformat(),
            "origin": "rule", "rule_id": rule["id"]})
        assert isinstance(visit_id, int)
        created.append(visit_id)
    return created


def _least_busy_agent(env: Any) -> int | None:
    """The customer-service member with the fewest planned visits (lowest id on a tie)."""
    from core.workflow_engine import group_members

    group = env.ref_id(SERVICE_GROUP, raise_if_not_found=False)
    members = sorted(group_members(env, group)) if group is not None else []
    if not members:
        return None
    visit = env.registry["crm.visit"]
    load = dict(env.session.execute(select(visit.user_id, func.count()).where(
        visit.state == "planned", visit.user_id.in_(members)).group_by(visit.user_id)).all())
    return min(members, key=lambda uid: (load.get(uid, 0), uid))


VISIT_MODELS = [Visit]
