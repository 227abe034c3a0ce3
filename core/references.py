"""References to one record of any model (:func:`core.fields.Reference`), stored as Odoo
stores them: the text ``"model,id"``.

:func:`parse` reads a value; :func:`resolve` gives the targets of many values as a user may
see them (their display names, and whether the user may open them), in two queries per target
model; :func:`check_targets` refuses a written reference to a record that does not exist or
that the user may not read (as the service refuses such a many2one).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .errors import AccessError, ValidationError
from .i18n import _

if TYPE_CHECKING:
    from .env import Environment
    from .fields import FieldInfo

__all__ = ["Target", "parse", "format_reference", "resolve", "readable_ids", "display_name",
           "check_targets"]


@dataclasses.dataclass(frozen=True)
class Target:
    """The record a reference names, as the current user sees it."""

    model: str
    id: int
    #: its display name (the kind of record and its id when it has none or no longer exists)
    name: str
    #: whether the user may open it (access rights and record rules)
    readable: bool
    exists: bool = True


def parse(value: Any) -> tuple[str, int] | None:
    """``(model, id)`` of a ``"model,id"`` text or a ``(model, id)`` pair; None for anything
    else (empty, no id, an id that is not a positive number)."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        model, rid = value
    elif isinstance(value, str):
        model, sep, rid = value.partition(",")
        if not sep:
            return None
    else:
        return None
    model = str(model).strip()
    try:
        number = int(str(rid).strip())
    except ValueError:
        return None
    return (model, number) if model and number > 0 else None


def format_reference(model: str, rid: int) -> str:
    """The stored form of a reference."""
    return f"{model},{rid}"


def readable_ids(env: Environment, model: str, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` (existing records of ``model``) the user may read, in one query at
    most."""
    ids = set(ids)
    if not ids or env.su:
        return ids
    if not env.access.allowed(model, "read"):
        return set()
    cls = env.registry[model]
    rule = env.access.rule_expression(cls, "read")
    if rule is None:
        return ids
    return set(env.session.scalars(select(cls.id).where(cls.id.in_(ids), rule)))


def resolve(env: Environment, values: Iterable[Any]) -> dict[str, Target]:
    """The target of every reference in ``values``, keyed by its stored form (values naming
    no installed model, or not references at all, are left out)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for value in values:
        parsed = parse(value)
        if parsed is not None and parsed[0] in env.registry:
            wanted[parsed[0]].add(parsed[1])
    result: dict[str, Target] = {}
    for model, ids in wanted.items():
        service = env.sudo()[model]
        names = service.display_names(ids)
        readable = readable_ids(env, model, names)
        for rid in ids:
            exists = rid in names
            name = names[rid] if exists else service._unnamed(rid)
            result[format_reference(model, rid)] = Target(model, rid, name,
                                                          rid in readable, exists)
    return result


def display_name(env: Environment, value: Any) -> str:
    """What a reference reads as in a message: its record's display name (the kind of record
    and its id once the record is gone); the value itself when it names no installed model."""
    parsed = parse(value)
    if parsed is None or parsed[0] not in env.registry:
        return str(value or "")
    return resolve(env.sudo(), [value])[format_reference(*parsed)].name


def check_targets(env: Environment, values: Iterable[tuple[FieldInfo, str]]) -> None:
    """Refuse references (``(field, stored value)``) to a model not installed, a record that
    does not exist, or, unless the environment is the superuser's, one the user may not
    read."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for info, value in values:
        parsed = parse(value)
        if parsed is None:
            continue
        if parsed[0] not in env.registry:
            raise ValidationError(_("%(value)r is not a valid value for the field %(field)s.",
                                    value=value, field=info.label), field=info.name)
        wanted[parsed[0]].add(parsed[1])
    for model, ids in wanted.items():
        cls = env.registry[model]
        existing = set(env.session.scalars(select(cls.id).where(cls.id.in_(ids))))
        if existing != ids:
            raise ValidationError(_("Record does not exist or has been deleted: %(model)s "
                                    "%(ids)s", model=model, ids=sorted(ids - existing)))
        hidden = ids - readable_ids(env, model, ids)
        if hidden:
            access = env.access
            if not access.allowed(model, "read"):
                access.check(model, "read")
            raise AccessError(access.rule_denied_message(cls, "read", sorted(hidden)))
