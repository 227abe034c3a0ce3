"""Money amounts: ``Decimal`` rounded half-up to the cent, the rounding of every amount a
document stores (lines, taxes, totals, payments, valuations)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["CENT", "money"]

CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    """``value`` (a Decimal, int, str or float; None counts as zero) rounded half-up to the
    cent; a float is taken by its shortest repr (0.1 is 0.10, not 0.1000000000000000055…)."""
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)
