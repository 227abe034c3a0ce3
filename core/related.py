"""Smart buttons (Odoo's stat buttons): the documents related to a record, counted, on its form.

A form view declares them (:class:`core.views.Related`, or a :class:`core.views.ViewExtension`'s
``related`` for a glue addon linking two others' documents). Each names either a field of the
form's model, a many2one (the document it comes from) or a one2many (the documents made from
it), or another model and the path from it to the record (``Related("sale_id",
model="stock.picking")``: the transfers whose ``sale_id`` is the record). :func:`related_buttons`
counts them all in one statement, each count through the target model's service condition (its
record rules, its ``active`` filter): a user sees only the documents they may read, and no
button for a model they may not read or with nothing to show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, literal, select, union_all

from .errors import AccessError

if TYPE_CHECKING:
    from .env import Environment
    from .views import Related

__all__ = ["RelatedButton", "related_buttons"]


@dataclasses.dataclass(frozen=True)
class RelatedButton:
    """A smart button ready to show: its label, how many documents, and what it opens (one
    document: its form; several: their list, ``domain`` on ``model``)."""

    label: str
    count: int
    model: str
    record_id: int | None
    domain: list[Any]


def _target(env: Environment, model: str, record_id: int,
            spec: Related) -> tuple[str, list[Any], Any] | None:
    """``(target model, domain for its list, extra SQL condition)`` of one button; None when
    the button names nothing installed."""
    registry = env.registry
    if spec.model is not None:
        if spec.model not in registry:
            return None  # an optional addon's documents
        return spec.model, [(spec.field, "=", record_id)], None
    info = registry[model].__fields__.get(spec.field)
    if info is None or info.comodel not in registry:
        return None
    if info.type == "one2many":
        return info.comodel, [(info.inverse_name, "=", record_id)], None
    own = registry[model]
    target = registry[info.comodel]
    source = select(own.__table__.c[info.name]).where(own.id == record_id).scalar_subquery()
    return info.comodel, [], target.id == source  # a many2one: the one document it names


def related_buttons(env: Environment, model: str, record_id: int,
                    specs: Sequence[Related]) -> list[RelatedButton]:
    """The buttons of ``specs`` for the record ``record_id`` of ``model`` that have documents
    the user may read, counted in one statement (a ``UNION ALL`` of one count per button)."""
    access = env.access
    parts, kept = [], []
    for spec in specs:
        if spec.groups and not any(access.has_group(group) for group in spec.groups):
            continue
        target = _target(env, model, record_id, spec)
        if target is None or not access.allowed(target[0], "read"):
            continue
        name, domain, extra = target
        service = env[name]
        cls = service.cls
        try:
            where = service.where_clause(domain)
        except AccessError:  # a path through fields or records the user may not read
            continue
        if extra is not None:
            where = where & extra
        parts.append(select(literal(len(kept)).label("n"), func.count(cls.id).label("c"),
                            func.min(cls.id).label("first")).where(where))
        kept.append((spec, name, domain))
    if not parts:
        return []
    rows = {row.n: row for row in env.session.execute(union_all(*parts))}
    buttons = []
    for index, (spec, name, domain) in enumerate(kept):
        row = rows.get(index)
        if row is None or not row.c:
            continue
        label = spec.label if spec.label is not None else _default_label(env, model, name,
                                                                          spec)
        buttons.append(RelatedButton(str(label), int(row.c), name,
                                     int(row.first) if row.c == 1 else None,
                                     domain or [("id", "=", int(row.first))]))
    return buttons


def _default_label(env: Environment, model: str, target: str, spec: Related) -> str:
    """The field's label for a field of the form's model, else the target's description."""
    if spec.model is None:
        return env.registry[model].__fields__[spec.field].label
    return str(env.registry[target]._description or target)
