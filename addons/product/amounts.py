"""Money arithmetic of priced documents (sales, purchases), in Decimal, rounded half-up at 2
decimals.

Tax is computed and rounded per line (Odoo's default "round per line"); a document's untaxed
amount and tax are the sums of its lines' rounded figures, so ``total = untaxed + tax`` holds
exactly for any lines, and the printed lines add up to the printed totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from core.money import CENT, money

__all__ = ["CENT", "money", "LineAmounts", "line_amounts", "document_amounts", "percent"]

HUNDRED = Decimal(100)


class LineAmounts(NamedTuple):
    subtotal: Decimal
    tax: Decimal
    total: Decimal


def line_amounts(qty: Any, price_unit: Any, discount: Any = 0, vat_rate: Any = 0
                 ) -> LineAmounts:
    """Untaxed subtotal, tax and total of ``qty × price_unit`` less ``discount`` % with
    ``vat_rate`` % VAT on top (prices are tax-excluded)."""
    qty, price = Decimal(str(qty or 0)), Decimal(str(price_unit or 0))
    factor = (HUNDRED - Decimal(str(discount or 0))) / HUNDRED
    subtotal = money(qty * price * factor)
    tax = money(subtotal * Decimal(str(vat_rate or 0)) / HUNDRED)
    return LineAmounts(subtotal, tax, subtotal + tax)


def document_amounts(lines: Iterable[LineAmounts]) -> LineAmounts:
    """The untaxed amount, tax and total of a document from its lines' amounts."""
    untaxed = tax = Decimal("0.00")
    for line in lines:
        untaxed += line.subtotal
        tax += line.tax
    return LineAmounts(untaxed, tax, untaxed + tax)


def percent(part: Any, whole: Any) -> Decimal:
    """``part`` as a percentage of ``whole`` (0 when ``whole`` is 0), capped at 100."""
    whole = Decimal(str(whole or 0))
    if whole <= 0:
        return Decimal("0.00")
    value = money(Decimal(str(part or 0)) * HUNDRED / whole)
    return min(value, Decimal("100.00"))
