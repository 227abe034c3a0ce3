"""Helpers shared by the purchase documents: numbers, guards (money arithmetic is
:mod:`addons.product.amounts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from core.errors import UserError, ValidationError
from core.i18n import _

ZERO = Decimal(0)


def today() -> dt.date:
    return dt.date.today()


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
