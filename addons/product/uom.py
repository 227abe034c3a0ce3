"""Units of measure: categories (unit, weight, length…) and units converting within them.

Each unit states how many units of its category's reference unit it holds (``ratio``): the
reference (件 Unit) has 1, a box of 12 has 12, a gram in the weight category (reference kg) has
0.001. Converting ``qty`` from unit A to unit B is ``qty * A.ratio / B.ratio``, in Decimal, then
rounded to B's ``rounding`` (ROUND_HALF_UP). Units of different categories never convert.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from core import constrains, fields, public
from core.errors import UserError, ValidationError
from core.i18n import _, _l

UOM_TYPES = [
    ("reference", _l("Reference unit of its category")),
    ("bigger", _l("Bigger than the reference")),
    ("smaller", _l("Smaller than the reference")),
]


def round_to(value: Decimal, rounding: Decimal | None) -> Decimal:
    """``value`` rounded half-up to a multiple of ``rounding`` (e.g. 0.01, 1, 0.5)."""
    step = Decimal(rounding or 0)
    if step <= 0:
        return value
    exponent = min(step.normalize().as_tuple().exponent, 0)
    rounded = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return rounded.quantize(Decimal(1).scaleb(exponent))


def convert_quantity(qty: Decimal | int | str, from_ratio: Decimal, to_ratio: Decimal,
                     to_rounding: Decimal | None = None) -> Decimal:
    """``qty`` of a unit holding ``from_ratio`` reference units, in a unit of ``to_ratio``."""
    result = Decimal(str(qty)) * Decimal(from_ratio) / Decimal(to_ratio)
    return round_to(result, to_rounding)


class UomCategory:
    _name = "uom.category"
    _description = _l("Unit of measure category")
    _order = "name"

    name: Mapped[str] = fields.Char(_l("Name"), required=True, unique=True, translate=True)
    uom_ids = fields.One2many("uom.uom", "category_id", _l("Units"))


class Uom:
    _name = "uom.uom"
    _description = _l("Unit of measure")
    _order = "category_id, ratio"

    name: Mapped[str] = fields.Char(_l("Unit"), size=64, required=True)
    category_id: Mapped[int] = fields.Many2one("uom.category", _l("Category"), required=True,
                                               ondelete="RESTRICT")
    uom_type: Mapped[str] = fields.Selection(UOM_TYPES, _l("Type"), required=True,
                                             default="reference")
    ratio: Mapped[Decimal] = fields.Decimal(
        _l("Reference units per unit"), digits=(20, 8), required=True, default=Decimal(1),
        help=_l("How many reference units of the category one of this unit holds "
                "(a box of 12 holds 12; a gram holds 0.001 kg)."))
    rounding: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Rounding precision"), digits=(16, 6), default=Decimal("0.01"))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @constrains("ratio", "uom_type", "category_id", "active")
    def _check_ratio(self) -> None:
        """The reference unit has ratio 1 and is the only active one of its category."""
        if self.ratio is None or self.ratio <= 0:
            raise ValidationError(_("The ratio of the unit %(unit)s must be positive.",
                                    unit=self.name))
        if self.uom_type == "reference":
            if self.ratio != 1:
                raise ValidationError(_("The reference unit %(unit)s must have a ratio of 1.",
                                        unit=self.name))
            cls = type(self)
            others = self.env.session.scalar(
                select(func.count()).select_from(cls).where(
                    cls.category_id == self.category_id, cls.uom_type == "reference",
                    cls.active.is_(True), cls.id != self.id))
            if self.active and others:
                raise ValidationError(_("The category of %(unit)s already has a reference unit.",
                                        unit=self.name))
        elif (self.uom_type == "bigger") != (self.ratio > 1):
            raise ValidationError(_("The unit %(unit)s is %(type)s but its ratio is %(ratio)s.",
                                    unit=self.name, type=self.uom_type, ratio=self.ratio))

    def compute_quantity_to(self, qty: Any, to_uom: Any, round_result: bool = True) -> Decimal:
        """``qty`` of this unit expressed in ``to_uom`` (an ``uom.uom`` record)."""
        if to_uom.id == self.id:
            return Decimal(str(qty))
        if to_uom.category_id != self.category_id:
            raise UserError(_("Cannot convert %(src)s into %(dst)s: the units belong to "
                              "different categories.", src=self.name, dst=to_uom.name))
        return convert_quantity(qty, self.ratio, to_uom.ratio,
                                to_uom.rounding if round_result else None)

    def compute_price_to(self, price: Any, to_uom: Any) -> Decimal:
        """A price per this unit expressed per ``to_uom`` (not rounded)."""
        if to_uom.id == self.id:
            return Decimal(str(price))
        if to_uom.category_id != self.category_id:
            raise UserError(_("Cannot convert %(src)s into %(dst)s: the units belong to "
                              "different categories.", src=self.name, dst=to_uom.name))
        return Decimal(str(price)) * to_uom.ratio / self.ratio

    @public
    def compute_quantity(self, qty: Any, to_uom_id: int) -> str:
        """API: ``qty`` of this unit in the unit ``to_uom_id``, as decimal text."""
        target = self.env["uom.uom"].browse([int(to_uom_id)])[0]
        try:
            return str(self.compute_quantity_to(Decimal(str(qty)), target))
        except ArithmeticError as exc:
            raise ValidationError(_("%(qty)r is not a quantity.", qty=qty)) from exc

    compute_quantity.__kangyi_check__ = "read"  # type: ignore[attr-defined]


UOM_MODELS = [UomCategory, Uom]
