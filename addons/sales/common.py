"""Helpers shared by the sales documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.errors import UserError, ValidationError
from core.i18n import _

__all__ = ["refuse_computed", "next_number", "require_state", "today", "changed_values"]


def today() -> dt.date:
    return dt.date.today()


def refuse_computed(cls: type, vals: dict[str, Any], computed: Iterable[str]) -> None:
    """Computed bookkeeping fields (amounts, delivered quantities…) are never written by hand."""
    fields = cls.__fields__  # type: ignore[attr-defined]
    given = sorted(name for name in set(vals) & set(computed)
                   if vals[name] not in (None, False) and vals[name] != fields[name].default)
    if given:
        labels = ", ".join(fields[name].label for name in given)
        raise ValidationError(_("%(fields)s of %(model)s are computed and cannot be set.",
                                fields=labels, model=cls._name))  # type: ignore[attr-defined]


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


def changed_values(record: Any, vals: dict[str, Any]) -> dict[str, Any]:
    """The part of ``vals`` that differs from ``record`` (forms post unchanged and read-only
    columns back; only real changes are checked against the document's state)."""
    return {name: value for name, value in vals.items()
            if not hasattr(record, name) or getattr(record, name) != value}


def remaining_on_notices(env: Any, notice_line_model: str, quantity: str, order_lines: list[Any],
                         ceiling: Callable[[Any], Any], exclude_line: int | None = None
                         ) -> dict[int, Decimal]:
    """Per order line id: ``ceiling(order_line)`` less the ``quantity`` its lines on notices of
    ``notice_line_model`` (not cancelled; ``exclude_line`` left out) already take, in one query.
    """
    line = env.registry[notice_line_model]
    notice = env.registry[line.__fields__["notice_id"].comodel]
    query = select(line.order_line_id, func.sum(getattr(line, quantity))).join(
        notice, notice.id == line.notice_id).where(
        line.order_line_id.in_([ol.id for ol in order_lines]), notice.state != "cancel")
    if exclude_line is not None:
        query = query.where(line.id != exclude_line)
    used = dict(env.session.execute(query.group_by(line.order_line_id)).all())
    return {ol.id: Decimal(ceiling(ol) or 0) - Decimal(str(used.get(ol.id) or 0))
            for ol in order_lines}


def remaining_per_line(env: Any, lines: list[Any], quantity: str,
                       ceiling: Callable[[Any], Any]) -> dict[int, Decimal]:
    """Per notice line id: ``ceiling`` of its order line less what the other lines on
    non-cancelled notices take (:func:`remaining_on_notices` leaving each line out), for lines
    of one notice model, in one query."""
    if not lines:
        return {}
    order_lines = list({line.order_line_id: line.order_line for line in lines}.values())
    left = remaining_on_notices(env, lines[0]._name, quantity, order_lines, ceiling)
    return {line.id: left[line.order_line_id] + (
        Decimal(str(getattr(line, quantity) or 0)) if line.notice.state != "cancel" else 0)
        for line in lines}


def check_notice_quantities(lines: list[Any], quantity: str, ceiling: Callable[[Any], Any],
                            not_positive: str, too_much: Callable[..., str]) -> None:
    """The batch check of notice lines: each ``quantity`` positive, on its notice's order, and
    within :func:`remaining_per_line` (``too_much(product=, qty=, left=)`` words the refusal)."""
    for line in lines:
        notice, order_line = line.notice, line.order_line
        if Decimal(getattr(line, quantity) or 0) <= 0:
            raise ValidationError(not_positive)
        if order_line.order_id != notice.order_id:
            raise ValidationError(_("The line %(line)s is not on the order of %(name)s.",
                                    line=order_line.display_name, name=notice.display_name))
    available = remaining_per_line(lines[0].env, lines, quantity, ceiling)
    for line in lines:
        qty = Decimal(getattr(line, quantity) or 0)
        if qty > available[line.id]:
            raise ValidationError(too_much(product=line.order_line.display_name, qty=qty,
                                           left=available[line.id]))
