"""What the model service enforces beyond access rights, for every door alike.

* **Engine-only models** (``_engine_only = True``: workflow requests and history, messages,
  tracked changes, attachments) are written by the core's own modules through the ORM; the service
  refuses ``create``, ``write`` and ``unlink`` on them for everyone, superuser included, so history
  stays append-only.
* **Workflow-controlled fields** (the state field of a model with a ``_workflow``) change only
  through transitions: the engine writes them in an environment carrying :data:`ENGINE`, an
  object no client can send over the wire.
* **Fields per state** (a field's ``edit_states``, else its model's ``_edit_states``, for the
  fields a form may edit): a user changes them only while the record's ``state`` is one of
  those states, whatever the door (form, REST, RPC). The engine and superuser code (``sudo``)
  may; a value sent back unchanged is not a change.
* **Optimistic locking**: a caller that sends the ``write_date`` it read (``vals["__last_update"]``
  or Odoo's ``context["__last_update"] = {"model,id": value}``) gets a
  :class:`~core.errors.ConcurrencyError` (409) naming who changed what since, instead of silently
  overwriting (deleting, with the context form). The row is locked (``SELECT … FOR UPDATE``)
  between the check and the write.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from .errors import AccessError, ConcurrencyError, ValidationError
from .i18n import _

if TYPE_CHECKING:
    from .env import Environment
    from .fields import FieldInfo
    from .service import ModelService

__all__ = ["ENGINE", "engine_env", "is_engine", "refuse_engine_only", "guard_field",
           "check_edit_states", "edit_states", "pop_last_update", "check_last_update",
           "LAST_UPDATE"]

#: context key under which the engine marks its own writes; its value must be this very object
ENGINE_KEY = "kangyi_engine"
ENGINE = object()
#: the key carrying the ``write_date`` a client read (in ``vals`` or, per record, in the context)
LAST_UPDATE = "__last_update"


def engine_env(env: Environment) -> Environment:
    """``env`` as the core's engine: superuser rights and permission to set workflow fields."""
    return env.with_context(**{ENGINE_KEY: ENGINE}).sudo()


def is_engine(env: Environment) -> bool:
    return env.context.get(ENGINE_KEY) is ENGINE


def refuse_engine_only(service: ModelService, operation: str) -> None:
    """Raise unless ``service``'s model may be changed through the service at all."""
    if getattr(service.cls, "_engine_only", False):
        raise AccessError(_("Records of %(model)s are kept by the system and cannot be "
                            "%(operation)s directly.", model=service._name,
                            operation=_OPERATIONS.get(operation, operation)),
                          model=service._name, operation=operation)


_OPERATIONS = {"create": "created", "write": "modified", "unlink": "deleted"}


def guard_field(service: ModelService, info: FieldInfo, value: Any, creating: bool) -> None:
    """Refuse a write to the workflow state field unless the engine makes it.

    On create the field may only hold the workflow's initial state (or be left out).
    """
    workflow = getattr(service.cls, "_workflow", None)
    if workflow is None or info.name != workflow.field or is_engine(service.env):
        return
    if creating and value in (None, False, workflow.initial_state(service.cls)):
        return
    raise ValidationError(_("%(field)s of %(model)s changes only through its workflow actions.",
                            field=info.label, model=service._name), field=info.name)


def edit_states(cls: type, info: FieldInfo) -> tuple[str, ...]:
    """The states in which a user may change ``info`` (empty: every state). The model's
    ``_edit_states`` covers the fields a form may edit (neither read-only nor computed) but the
    state itself, which changes by actions."""
    if info.edit_states:
        return info.edit_states
    if info.readonly or info.computed or info.name == "state":
        return ()
    return tuple(getattr(cls, "_edit_states", ()) or ())


def check_edit_states(service: ModelService, records: Sequence[Any], vals: dict[str, Any]) -> None:
    """Refuse a user's change to a field that the record's state freezes (:func:`edit_states`)."""
    env = service.env
    if env.su or is_engine(env) or "state" not in service.fields or not isinstance(vals, dict):
        return
    for record in records:
        frozen = [info for name, value in vals.items()
                  if (info := service.fields.get(name)) is not None
                  and (allowed := edit_states(service.cls, info))
                  and record.state not in allowed
                  and _changes(service, record, info, value)]
        if frozen:
            label = dict(service.fields["state"].selection or ()).get(record.state,
                                                                        record.state)
            raise ValidationError(
                _("%(fields)s can no longer be changed: %(record)s is in the state %(state)s.",
                  record=record.display_name, state=str(label),
                  fields=", ".join(info.label for info in frozen)),
                field=frozen[0].name)


def _changes(service: ModelService, record: Any, info: FieldInfo, value: Any) -> bool:
    """Whether writing ``value`` to ``info`` changes ``record`` (a value that cannot be
    converted counts as a change; the conversion refuses it later)."""
    from . import values as conv

    try:
        if info.stored:
            return conv.to_column(info, value) != getattr(record, info.name)
        if info.type not in ("one2many", "many2many"):
            return False  # computed on read: the service refuses a value itself
        commands = conv.x2many_commands(info, value)
    except ValidationError:
        return True
    current = None
    for command in commands:
        if command[0] in (1, 4, 5, 6) and current is None:
            current = set(service._x2many_ids(info, [record.id]).get(record.id, ()))
        if command[0] == 1 and command[1] in current and not _line_changes(
                service.env[info.comodel or ""], command[1], command[2]):
            continue  # a line sent back as it is (forms post every line)
        if (command[0] == 4 and command[1] in current
                or command[0] == 6 and set(command[2]) == current
                or command[0] == 5 and not current):
            continue
        return True
    return False


def _line_changes(comodel: ModelService, line_id: int, vals: dict[str, Any]) -> bool:
    line = comodel.browse_unchecked([line_id])
    return not line or any(_changes(comodel, line[0], info, value) for name, value in vals.items()
                           if (info := comodel.fields.get(name)) is not None)


def pop_last_update(service: ModelService, ids: Sequence[int],
                    vals: dict[str, Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    """Split the optimistic-locking values off ``vals``: ``(vals, {id: expected write_date})``."""
    expected: dict[int, Any] = {}
    if isinstance(vals, dict) and LAST_UPDATE in vals:
        vals = dict(vals)
        value = vals.pop(LAST_UPDATE)
        expected = {rid: value for rid in ids}
    by_record = service.env.context.get(LAST_UPDATE)
    if isinstance(by_record, dict):
        for rid in ids:
            value = by_record.get(f"{service._name},{rid}")
            if value is not None:
                expected.setdefault(rid, value)
    return vals, expected


def _as_datetime(value: Any) -> dt.datetime | None:
    if value in (None, False, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    try:
        return dt.datetime.fromisoformat(str(value).replace("T", " ").strip())
    except ValueError as exc:
        raise ValidationError(_("%(value)r is not a valid last-update time.",
                                value=value)) from exc


def check_last_update(service: ModelService, expected: dict[int, Any],
                      fields: Sequence[str]) -> None:
    """Lock the rows of ``expected`` and raise ConcurrencyError if one changed since it was read.

    Second-level precision is enough for the wire formats (Odoo sends ``%Y-%m-%d %H:%M:%S``), so
    a value without microseconds is compared at that precision.
    """
    if not expected:
        return
    table = service.cls.__table__
    rows = service.env.session.execute(
        select(table.c.id, table.c.write_date, table.c.write_uid)
        .where(table.c.id.in_(list(expected))).with_for_update()).all()
    stale = []
    for row in rows:
        sent = _as_datetime(expected[row.id])
        current = row.write_date
        if sent is None or current is None:
            continue
        if sent.microsecond == 0:
            current = current.replace(microsecond=0)
        if current != sent:
            stale.append(row)
    if not stale:
        return
    from .audit import changes_since

    row = stale[0]
    names = service.env.sudo()["res.users"].display_names([row.write_uid] if row.write_uid
                                                            else [])
    changed = changes_since(service.env, service._name, row.id, _as_datetime(expected[row.id]))
    current = service.sudo()._read_rows([row.id], [service.fields[f] for f in fields
                                                   if f in service.fields])
    raise ConcurrencyError(
        _("%(user)s changed this record (%(model)s %(id)s) at %(when)s, after you opened it. "
          "Reload it to see their changes, then apply yours again.%(changed)s",
          user=names.get(row.write_uid, "?"), model=service._name, id=row.id,
          when=row.write_date.strftime("%Y-%m-%d %H:%M:%S"),
          changed=(" " + _("Changed: %(fields)s.", fields=", ".join(
              f"{c['field_label']}: {c['old_value'] or '—'} → {c['new_value'] or '—'}"
              for c in changed))) if changed else ""),
        record_id=row.id, model=service._name, changed_by=row.write_uid,
        changes=changed, current=current[0] if current else {})


# -- numbers that fit their columns --------------------------------------------------------------


def _numeric_limits(cls: type) -> list[tuple[str, Any, Any]]:
    """``(attribute, bound, FieldInfo)`` of the NUMERIC(p, s) fields of ``cls``: a value must
    stay below ``bound`` (10^(p−s)) in magnitude. Cached on the class."""
    cached = cls.__dict__.get("__numeric_limits__")
    if cached is None:
        cached = [(info.name, decimal.Decimal(10) ** (info.digits[0] - info.digits[1]), info)
                  for info in getattr(cls, "__fields__", {}).values()
                  if info.stored and info.digits and info.type in ("decimal", "monetary")]
        cls.__numeric_limits__ = cached
    return cached


def _numbers_fit(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: a computed amount too large for its column is a validation error on
    every database (PostgreSQL would fail the statement; SQLite would store it)."""
    new = session.new
    for record in (*new, *session.dirty):
        limits = _numeric_limits(type(record))
        if not limits:
            continue
        state = inspect(record)
        for name, bound, info in limits:
            value = state.dict.get(name)
            if value is None or not isinstance(value, (int, decimal.Decimal)):
                continue
            if abs(value) >= bound and (record in new or state.attrs[name].history.added):
                raise ValidationError(_("%(field)s is too large: %(value)s does not fit.",
                                        field=info.label, value=value), field=info.name)


event.listen(Session, "before_flush", _numbers_fit)
