"""Helpers shared by the purchase documents: money in Decimal, numbers, guards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from core.errors import UserError, ValidationError
from core.i18n import _

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def today() -> dt.date:
    return dt.date.today()


def money(value: Any) -> Decimal:
    """``value`` rounded half-up to the cent."""
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


class LineAmounts(NamedTuple):
    subtotal: Decimal
    tax: Decimal
    total: Decimal


def line_amounts(qty: Any, price_unit: Any, vat_rate: Any = 0) -> LineAmounts:
    """Untaxed subtotal, input VAT (rounded per line) and total of ``qty × price_unit``."""
    subtotal = money(Decimal(str(qty or 0)) * Decimal(str(price_unit or 0)))
    tax = money(subtotal * Decimal(str(vat_rate or 0)) / HUNDRED)
    return LineAmounts(subtotal, tax, subtotal + tax)


def percent(part: Any, whole: Any) -> Decimal:
    """``part`` as a percentage of ``whole`` (0 when ``whole`` is 0), capped at 100."""
    whole = Decimal(str(whole or 0))
    if whole <= 0:
        return Decimal("0.00")
    return min(money(Decimal(str(part or 0)) * HUNDRED / whole), Decimal("100.00"))


def next_number(env: Any, code: str) -> str:
    """The next document number of the sequence ``code`` (numbering is not the user's right)."""
    return env.sudo()["ir.sequence"].next_by_code(code)


def refuse_computed(cls: type, vals: dict[str, Any], computed: Iterable[str]) -> None:
    """Computed bookkeeping fields (amounts, received quantities…) are never written by hand."""
    fields = cls.__fields__  # type: ignore[attr-defined]
    given = sorted(name for name in set(vals) & set(computed)
                   if vals[name] not in (None, False) and vals[name] != fields[name].default)
    if given:
        labels = ", ".join(str(fields[name].label) for name in given)
        raise ValidationError(_("%(fields)s of %(model)s are computed and cannot be set.",
                                fields=labels, model=cls._name))  # type: ignore[attr-defined]


def changed_values(record: Any, vals: dict[str, Any]) -> dict[str, Any]:
    """The part of ``vals`` that differs from ``record`` (forms post unchanged fields back)."""
    return {name: value for name, value in vals.items()
            if not hasattr(record, name) or getattr(record, name) != value}


def require_reason(reason: Any, action: Any) -> str:
    """The stripped ``reason``, or a clear refusal when it is empty."""
    text = (reason or "").strip()
    if not text:
        raise ValidationError(_("%(action)s needs a reason.", action=str(action)),
                              field="reason")
    return text


def require_state(record: Any, states: tuple[str, ...], action: Any) -> None:
    """Raise a clear UserError unless ``record`` is in one of ``states``."""
    if record.state not in states:
        labels = dict(record.__fields__["state"].selection)
        raise UserError(_("%(action)s is not possible on %(name)s while it is %(state)s.",
                          action=str(action), name=record.display_name,
                          state=str(labels.get(record.state, record.state))))
