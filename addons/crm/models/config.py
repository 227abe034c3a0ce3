"""Editable lists of the CRM: industries, customer levels, tags, stages, lost reasons and
return-visit rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.errors import ValidationError
from core.i18n import _, _l
from core.models import constrains

VISIT_TRIGGERS = [("contract_start", _l("Contract start")), ("delivery", _l("Delivery"))]


class Industry:
    _name = "crm.industry"
    _description = _l("Industry")
    _order = "sequence, name"

    name: Mapped[str] = fields.Char(_l("Industry"), required=True, unique=True)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class CustomerLevel:
    _name = "crm.customer.level"
    _description = _l("Customer level")
    _order = "sequence, name"

    name: Mapped[str] = fields.Char(_l("Level"), required=True, unique=True)
    description: Mapped[Optional[str]] = fields.Text(_l("Description"))
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class Tag:
    _name = "crm.tag"
    _description = _l("Customer tag")
    _order = "name"

    name: Mapped[str] = fields.Char(_l("Tag"), required=True, unique=True)
    color: Mapped[Optional[int]] = fields.Integer(_l("Colour"), default=0)


class Stage:
    _name = "crm.stage"
    _description = _l("Pipeline stage")
    _order = "sequence, id"

    name: Mapped[str] = fields.Char(_l("Stage"), required=True)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    probability: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Probability (%)"), digits=(5, 2), default=Decimal("10"))
    is_won: Mapped[bool] = fields.Boolean(_l("Won stage"))
    is_lost: Mapped[bool] = fields.Boolean(_l("Lost stage"))
    fold: Mapped[bool] = fields.Boolean(_l("Folded in the board"))

    @constrains("probability", "is_won", "is_lost")
    def _check_probability(self) -> None:
        if self.probability is not None and not Decimal(0) <= self.probability <= Decimal(100):
            raise ValidationError(_("A probability lies between 0 and 100."))
        if self.is_won and self.is_lost:
            raise ValidationError(_("A stage cannot be both won and lost."))


class LostReason:
    _name = "crm.lost.reason"
    _description = _l("Lost reason")
    _order = "name"

    name: Mapped[str] = fields.Char(_l("Reason"), required=True, unique=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class VisitRule:
    _name = "crm.visit.rule"
    _description = _l("Return-visit rule")
    _order = "trigger, days"

    name: Mapped[str] = fields.Char(_l("Rule"), required=True)
    trigger: Mapped[str] = fields.Selection(VISIT_TRIGGERS, _l("Planned after"), required=True,
                                            default="contract_start")
    days: Mapped[int] = fields.Integer(_l("Days after"), required=True, default=7)
    user_id: Mapped[Optional[int]] = fields.Many2one(
        "res.users", _l("Assign to"), help=_l("Leave empty to assign the customer-service "
                                              "member with the fewest open visits."))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @constrains("days")
    def _check_days(self) -> None:
        if self.days is None or self.days < 0:
            raise ValidationError(_("A return-visit rule plans the visit 0 or more days later."))


CONFIG_MODELS = [Industry, CustomerLevel, Tag, Stage, LostReason, VisitRule]
