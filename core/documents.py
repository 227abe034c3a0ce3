"""Helpers of business documents (orders, requests, notices, collections): today's date, the next
number of a sequence, guards on a document's state and on a reason given, figures kept by the
document refused when a client sends them, and the part of a write that changes something."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .errors import UserError, ValidationError
from .i18n import _

__all__ = ["today", "next_number", "require_state", "require_reason", "refuse_computed",
           "changed_values"]


def today() -> dt.date:
    return dt.date.today()


def next_number(env: Any, code: str) -> str:
    """The next document number of the sequence ``code`` (numbering is not the user's right)."""
    return env.sudo()["ir.sequence"].next_by_code(code)


def require_state(record: Any, states: tuple[str, ...], action: Any) -> None:
    """Raise a clear UserError unless ``record`` is in one of ``states``."""
    if record.state not in states:
        labels = dict(record.__fields__["state"].selection)
        raise UserError(_("%(action)s is not possible on %(name)s while it is %(state)s.",
                          action=str(action), name=record.display_name,
                          state=str(labels.get(record.state, record.state))))


def require_reason(reason: Any, action: Any) -> str:
    """The stripped ``reason``, or a clear refusal when it is empty."""
    text = (reason or "").strip()
    if not text:
        raise ValidationError(_("%(action)s needs a reason.", action=str(action)),
                              field="reason")
    return text


def refuse_computed(cls: type, vals: dict[str, Any], computed: Iterable[str]) -> None:
    """Figures the document keeps itself (delivered or received quantities…) are never written
    by hand: a value other than empty or the field's default is refused."""
    fields = cls.__fields__  # type: ignore[attr-defined]
    given = sorted(name for name in set(vals) & set(computed)
                   if vals[name] not in (None, False) and vals[name] != fields[name].default)
    if given:
        labels = ", ".join(str(fields[name].label) for name in given)
        raise ValidationError(_("%(fields)s of %(model)s are computed and cannot be set.",
                                fields=labels, model=cls._name))  # type: ignore[attr-defined]


def changed_values(record: Any, vals: dict[str, Any]) -> dict[str, Any]:
    """The part of ``vals`` that differs from ``record`` (forms post unchanged and read-only
    columns back; only real changes are checked against the document's state)."""
    return {name: value for name, value in vals.items()
            if not hasattr(record, name) or getattr(record, name) != value}
