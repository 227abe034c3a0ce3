"""Units of the production documents: a bill, its components and by-products, and a
manufacturing order may each be in any unit of their product's category (a box of 12 where
the product is kept by the piece, grams of a component kept in kg). The explosion, material
planning and the stock moves work in the products' own units: quantities are converted by the
product addon's ``convert_quantity`` (the units' ratios, in Decimal), unrounded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import aliased

from addons.product.uom import convert_quantity
from core import constrains
from core.errors import ValidationError
from core.i18n import _

ONE = Decimal(1)


def fill_unit(record: Any) -> None:
    """The product's own unit when none is given (or the product changed to one of another
    kind)."""
    unit, own = record.product_uom, record.product.uom
    if unit is None or unit.category_id != own.category_id:
        record.product_uom_id = own.id


def check_unit(record: Any) -> None:
    """The unit is one of the product's kind (constraint)."""
    unit, own = record.product_uom, record.product.uom
    if unit is not None and own is not None and unit.category_id != own.category_id:
        raise ValidationError(_("%(product)s is counted in %(own)s: %(unit)s is a unit of "
                                "another kind.", product=record.product.display_name,
                                own=own.name, unit=unit.name), field="product_uom_id")


def to_product_unit(record: Any) -> Decimal:
    """How many of the product's own unit one of the record's unit holds."""
    unit, own = record.product_uom, record.product.uom
    if unit is None or own is None or unit.id == own.id:
        return ONE
    return convert_quantity(ONE, unit.ratio, own.ratio)


def unit_aliases(registry: Any) -> tuple[Any, Any, Any]:
    """``(product, a row's unit, the product's unit)`` to join on a row's product when reading
    quantities in SQL (the row's unit is outer-joined: it may be empty)."""
    uom = registry["uom.uom"]
    return registry["product.product"], aliased(uom), aliased(uom)


def in_own_unit(qty: Any, unit_ratio: Any, own_ratio: Any) -> Decimal:
    """``qty`` of a unit read in SQL (ratio ``unit_ratio``; none: the product's own) in the
    product's own unit (ratio ``own_ratio``); unchanged when they are the same."""
    qty = Decimal(qty)
    if unit_ratio is None or own_ratio is None or unit_ratio == own_ratio:
        return qty
    return convert_quantity(qty, unit_ratio, own_ratio)


class ProductUnit:
    """Mixin of the models with ``product_id`` and ``product_uom_id``: the unit defaults to the
    product's and must be of its kind."""

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        records = super().create(env, vals_list)  # type: ignore[misc]
        for record in records:
            fill_unit(record)
        return records

    def write(self, vals: dict[str, Any]) -> None:
        super().write(vals)  # type: ignore[misc]
        if "product_id" in vals or "product_uom_id" in vals:
            fill_unit(self)

    @constrains("product_id", "product_uom_id")
    def _check_unit(self) -> None:
        check_unit(self)
