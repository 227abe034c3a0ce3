"""Work centres (their capacity and hourly labour and overhead rates) and the operations of a
bill of materials' routing, each done on a work centre."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Mapped

from core import constrains, fields
from core.errors import ValidationError
from core.i18n import _, _l


class Workcenter:
    _name = "mrp.workcenter"
    _description = _l("Work centre")
    _order = "sequence, name"

    name: Mapped[str] = fields.Char(_l("Work centre"), required=True, translate=True)
    code: Mapped[Optional[str]] = fields.Char(_l("Code"), size=16)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    default_capacity: Mapped[Decimal] = fields.Decimal(
        _l("Capacity"), digits=(16, 2), default=Decimal(1),
        help=_l("Units made at the same time in one cycle."))
    time_efficiency: Mapped[Decimal] = fields.Decimal(
        _l("Efficiency (%)"), digits=(5, 2), default=Decimal(100),
        help=_l("Above 100 the work centre is faster than the operations' times."))
    costs_hour: Mapped[Decimal] = fields.Monetary(_l("Labour cost per hour"),
                                                  default=Decimal(0))
    costs_hour_overhead: Mapped[Decimal] = fields.Monetary(_l("Overhead per hour"),
                                                           default=Decimal(0))
    hours_per_day: Mapped[Decimal] = fields.Decimal(_l("Hours per day"), digits=(5, 2),
                                                    default=Decimal(8))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @constrains("default_capacity", "time_efficiency", "costs_hour", "costs_hour_overhead",
                "hours_per_day")
    def _check_figures(self) -> None:
        """Capacity, efficiency and hours are positive; rates are not negative."""
        for value in (self.default_capacity, self.time_efficiency, self.hours_per_day):
            if value is None or value <= 0:
                raise ValidationError(_("Capacity, efficiency and hours per day of %(name)s "
                                        "must be positive.", name=self.name))
        for value in (self.costs_hour, self.costs_hour_overhead):
            if value is not None and value < 0:
                raise ValidationError(_("The hourly rates of %(name)s cannot be negative.",
                                        name=self.name))


class RoutingOperation:
    _name = "mrp.routing.workcenter"
    _description = _l("Operation")
    _order = "bom_id, sequence, id"
    _rules_from = "bom_id"

    bom_id: Mapped[int] = fields.Many2one("mrp.bom", _l("Bill of materials"), required=True,
                                          ondelete="CASCADE")
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    name: Mapped[str] = fields.Char(_l("Operation"), required=True, translate=True)
    workcenter_id: Mapped[int] = fields.Many2one("mrp.workcenter", _l("Work centre"),
                                                 required=True, ondelete="RESTRICT")
    time_cycle_manual: Mapped[Decimal] = fields.Decimal(
        _l("Minutes per cycle"), digits=(16, 2), default=Decimal(0),
        help=_l("Time of one cycle on the work centre (its capacity in units at once)."))

    @constrains("time_cycle_manual")
    def _check_time(self) -> None:
        """An operation's time is not negative."""
        if self.time_cycle_manual is None or self.time_cycle_manual < 0:
            raise ValidationError(_("The time of %(name)s cannot be negative.", name=self.name),
                                  field="time_cycle_manual")


WORKCENTER_MODELS = [Workcenter, RoutingOperation]
