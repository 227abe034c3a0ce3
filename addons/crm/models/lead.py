"""Leads and opportunities (``crm.lead``): a pipeline of stages an admin configures.

Moving to a stage copies its probability; reaching a won stage fires ``crm_lead_won``; losing
needs a lost reason and moves to the lost stage (and out of the active pipeline, as in Odoo).
A lead converts into a customer (``res.partner``) and, when sales is installed, into a quotation
through the ``crm_lead_quotation`` hook.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import fields, public
from core.errors import UserError
from core.i18n import _, _l

TYPES = [("lead", _l("Lead")), ("opportunity", _l("Opportunity"))]


def _first_stage(env: Any) -> int | None:
    stage = env.registry["crm.stage"]
    return env.session.scalar(select(stage.id).where(
        stage.is_won.is_(False), stage.is_lost.is_(False)).order_by(stage.sequence, stage.id)
        .limit(1))


def _empty(value: Any) -> bool:
    return value is None or value is False or value == ""


def _typed_probability(lead: Any, vals: dict[str, Any]) -> bool:
    """Did the user type a probability of their own along with a new stage? A form sends the
    field back empty or unchanged when only the stage was changed: the stage's then applies."""
    if _empty(vals.get("probability")):
        return False
    try:
        return Decimal(str(vals["probability"])) != Decimal(str(lead.probability or 0))
    except ArithmeticError:
        return True  # not a number: the field's own validation refuses it


class Lead:
    _name = "crm.lead"
    _description = _l("Lead / opportunity")
    _order = "priority desc, id desc"
    _onchange = {"stage_id": ("probability",)}  # the form fills it live (write's rule)

    name: Mapped[str] = fields.Char(_l("Opportunity"), required=True)
    type: Mapped[str] = fields.Selection(TYPES, _l("Type"), default="lead", index=True)
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Customer"))
    partner_name: Mapped[Optional[str]] = fields.Char(_l("Company name"))
    contact_name: Mapped[Optional[str]] = fields.Char(_l("Contact name"))
    phone: Mapped[Optional[str]] = fields.Char(_l("Phone"), size=64)
    email_from: Mapped[Optional[str]] = fields.Char(_l("Email"))
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Salesperson"),
                                                     default=lambda env: env.uid)
    stage_id: Mapped[Optional[int]] = fields.Many2one("crm.stage", _l("Stage"),
                                                      default=_first_stage, ondelete="RESTRICT")
    probability: Mapped[Optional[Decimal]] = fields.Decimal(_l("Probability (%)"), digits=(5, 2))
    expected_revenue: Mapped[Optional[Decimal]] = fields.Monetary(_l("Expected revenue"))
    date_deadline: Mapped[Optional[dt.date]] = fields.Date(_l("Expected closing"))
    date_closed: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Closed on"), readonly=True)
    priority: Mapped[Optional[str]] = fields.Selection(
        [("0", _l("Normal")), ("1", _l("Good")), ("2", _l("Very good")), ("3", _l("Excellent"))],
        _l("Priority"), default="0")
    lost_reason_id: Mapped[Optional[int]] = fields.Many2one("crm.lost.reason", _l("Lost reason"))
    description: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        records = super().create(env, vals_list)
        for record, vals in zip(records, vals_list, strict=True):
            if record.stage_id and _empty(vals.get("probability")):
                record.probability = record._stage().probability
        return records

    def write(self, vals: dict[str, Any]) -> None:
        before, typed = self.stage_id, _typed_probability(self, vals)
        super().write(vals)
        if "stage_id" in vals and self.stage_id and self.stage_id != before:
            stage = self._stage()
            if not typed:
                self.probability = stage.probability
            if stage.is_won or stage.is_lost:
                self.date_closed = dt.datetime.now(dt.UTC).replace(tzinfo=None)
                self.type = "opportunity"
            if stage.is_won:
                self.env.registry.pm.hook.crm_lead_won(env=self.env, lead_id=self.id)

    def _stage(self) -> Any:
        return self.env.session.get(self.env.registry["crm.stage"], self.stage_id)

    def _stage_where(self, won: bool) -> int:
        stage = self.env.registry["crm.stage"]
        flag = stage.is_won if won else stage.is_lost
        found = self.env.session.scalar(select(stage.id).where(flag.is_(True))
                                        .order_by(stage.sequence, stage.id).limit(1))
        if found is None:
            raise UserError(_("No pipeline stage is marked as %(kind)s; an administrator can "
                              "mark one under CRM › Configuration › Stages.",
                              kind=_("won") if won else _("lost")))
        return found

    @public
    def action_set_won(self) -> None:
        """Move the opportunity to the won stage (probability 100 %)."""
        self.env["crm.lead"].write([self.id], {"stage_id": self._stage_where(won=True),
                                               "lost_reason_id": False})

    @public
    def action_set_lost(self, lost_reason_id: int | None = None) -> None:
        """Mark the opportunity lost, with a reason; it leaves the active pipeline."""
        reason = lost_reason_id or self.lost_reason_id
        if not reason:
            raise UserError(_("Choose why %(name)s was lost.", name=self.name))
        self.env["crm.lead"].write([self.id], {"stage_id": self._stage_where(won=False),
                                               "lost_reason_id": int(reason),
                                               "probability": 0})
        self.active = False

    @public
    def action_convert(self) -> int:
        """Make the lead an opportunity of a customer, creating the customer if needed."""
        if not self.partner_id:
            name = (self.partner_name or self.contact_name or "").strip()
            if not name:
                raise UserError(_("Give a company or contact name to convert %(name)s into a "
                                  "customer.", name=self.name))
            partner_id = self.env["res.partner"].create({
                "name": name, "is_company": bool(self.partner_name), "phone": self.phone or False,
                "email": self.email_from or False, "user_id": self.user_id or False,
                "customer_status": "prospect"})
            assert isinstance(partner_id, int)
            if self.partner_name and self.contact_name:
                self.env["res.partner"].create({"name": self.contact_name,
                                                "parent_id": partner_id,
                                                "phone": self.phone or False})
            self.partner_id = partner_id
        self.type = "opportunity"
        return self.partner_id

    @public
    def action_new_quotation(self) -> int:
        """A quotation for this opportunity, made by the sales addon (if installed)."""
        self.action_convert()
        quotation = self.env.registry.pm.hook.crm_lead_quotation(env=self.env, lead_id=self.id)
        if quotation is None:
            raise UserError(_("Quotations need the Sales application; install it first."))
        return quotation


LEAD_MODELS = [Lead]
