"""Helpers shared by the purchase documents: the document helpers of :mod:`core.documents`
(money arithmetic is :mod:`addons.product.amounts`)."""

from __future__ import annotations

from decimal import Decimal

from core.documents import (
    changed_values,
    next_number,
    refuse_computed,
    require_reason,
    require_state,
    today,
)

__all__ = ["ZERO", "changed_values", "next_number", "refuse_computed", "require_reason",
           "require_state", "today"]

ZERO = Decimal(0)
