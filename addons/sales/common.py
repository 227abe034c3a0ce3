"""Helpers shared by the sales documents: the document helpers of :mod:`core.documents`, and the
quantities left for notices."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.documents import changed_values, next_number, refuse_computed, require_state, today
from core.errors import ValidationError
from core.i18n import _

__all__ = ["refuse_computed", "next_number", "require_state", "today", "changed_values"]


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


def check_notice_is_draft(env: Any, notice_model: str, notice_id: int | None) -> None:
    """The lines of a notice of ``notice_model`` change only while it is a draft."""
    notice = env.session.get(env.registry[notice_model], notice_id) if notice_id else None
    if notice is not None and notice.state != "draft":
        raise ValidationError(_("The lines of %(name)s cannot change: it is no longer a draft.",
                                name=notice.display_name))


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
