"""The tax of a document line's VAT rate, for the invoices and bills the glue addons make."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.errors import UserError
from core.i18n import _l

__all__ = ["vat_tax_ids"]

#: the refusal when accounting has no tax of a rate, per tax scope
_MISSING = {"sale": _l("No active sales tax of %(rate)s %% exists in accounting; create it "
                       "first."),
            "purchase": _l("No active purchase tax of %(rate)s %% exists in accounting; create "
                           "it first.")}


def vat_tax_ids(env: Any, use: str, rate: Any) -> list[int]:
    """A line's ``tax_ids`` for ``rate`` % VAT: the first active tax-excluded tax of scope ``use``
    (``sale`` or ``purchase``), none for a missing rate; refused when accounting has none."""
    if rate in (None, False):
        return []
    tax = env.registry["account.tax"]
    found = env.session.scalar(select(tax.id).where(
        tax.type_tax_use == use, tax.amount == Decimal(str(rate)),
        tax.price_include.is_(False), tax.active.is_(True)).order_by(tax.id).limit(1))
    if found is None:
        raise UserError(str(_MISSING[use]) % {"rate": rate})
    return [found]
