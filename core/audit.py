"""Audit trail and chatter: tracked changes, messages and notes, one timeline per record.

A model opts in to tracking with ``_track = True`` (every stored field) or per field with
``tracking=True``; creation and deletion are recorded too. The record hooks of the base addon
call :func:`track_created`, :func:`track_written` and :func:`track_unlinking`, inside the
operation's savepoint, so a change and its trace commit or roll back together. Rows go in through
the ORM: ``mail.tracking`` and ``mail.message`` are engine-only, so no door edits or deletes them.

Reading follows the record: :func:`timeline` and :func:`post_message` first check that the acting
user may read the record (access rights and record rules, through the model service); a caller
that has checked already (the record panel, once per request) passes ``checked=True``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .errors import MissingError, ValidationError
from .i18n import _
from .models import utcnow
from .translate import N_, catalog, msgid, translate

if TYPE_CHECKING:
    from .env import Environment
    from .fields import FieldInfo
    from .models import BaseModel

__all__ = ["tracked_fields", "track_created", "track_written", "track_unlinking",
           "post_message", "timeline", "changes_since", "check_record", "check_record_access",
           "MAX_MESSAGE_LENGTH"]

MAX_MESSAGE_LENGTH = 20000
_UNTRACKABLE = {"id", "create_date", "write_date", "create_uid", "write_uid"}


def tracked_fields(cls: type[BaseModel]) -> dict[str, FieldInfo]:
    """The fields of ``cls`` whose changes are recorded (cached on the class)."""
    cached = cls.__dict__.get("__tracked_fields__")
    if cached is None:
        every = bool(getattr(cls, "_track", False))
        cached = {name: info for name, info in cls.__fields__.items()
                  if info.stored and name not in _UNTRACKABLE
                  and info.type not in ("binary", "password") and (every or info.tracking)}
        cls.__tracked_fields__ = cached  # type: ignore[attr-defined]
    return cached


def check_record(env: Environment, model: Any, res_id: Any, operation: str = "read") -> int:
    """Check the acting user's ``operation`` access to one record; returns its id."""
    if not isinstance(model, str) or model not in env.registry:
        raise MissingError(_("The model %(model)s does not exist (is its addon installed?).",
                             model=model))
    try:
        rid = int(res_id)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("%(value)r is not a record id.", value=res_id)) from exc
    env[model]._check_ids([rid], operation)
    return rid


def check_record_access(env: Environment, model: Any, res_id: Any,
                        operation: str = "read") -> str:
    """:func:`check_record`, then the record's display name."""
    rid = check_record(env, model, res_id, operation)
    return env.sudo()[model].display_names([rid])[rid]  # it exists: named, or kind and id


def display_value(env: Environment, info: FieldInfo, value: Any) -> str | None:
    """How a value reads in the history, in English (shown in the reader's language through
    the catalogs, :mod:`core.translate`): names for links, labels for selections."""
    if value is None:
        return None
    if info.type == "many2one":
        english = env.sudo().with_context(lang="en")
        return english[info.comodel or ""].display_names([value]).get(value, str(value))
    if info.type == "selection":
        label = dict(info.selection or ()).get(value, value)
        return str(msgid(label))
    if info.type == "boolean":
        return N_("Yes") if value else N_("No")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def _write_trackings(env: Environment, rows: list[dict[str, Any]]) -> None:
    if rows:
        now = utcnow()
        env.registry["mail.tracking"].add_unflushed(env, [
            {**row, "user_id": env.uid, "date": now} for row in rows])


def track_created(env: Environment, model: str, ids: list[int]) -> None:
    cls = env.registry[model]
    if tracked_fields(cls):
        _write_trackings(env, [{"res_model": model, "res_id": rid, "kind": "create"}
                               for rid in ids])


def track_written(env: Environment, model: str, record_id: int, old: dict[str, Any],
                  new: dict[str, Any]) -> None:
    fields = tracked_fields(env.registry[model])
    rows = []
    for name, before in old.items():
        info = fields.get(name)
        after = new.get(name)
        if info is None or before == after:
            continue
        rows.append({"res_model": model, "res_id": record_id, "kind": "write", "field": name,
                     "field_label": str(msgid(info.string) or info.label),
                     "old_value": display_value(env, info, before),
                     "new_value": display_value(env, info, after)})
    _write_trackings(env, rows)


def track_unlinking(env: Environment, model: str, ids: list[int]) -> None:
    cls = env.registry[model]
    if tracked_fields(cls):
        names = env.sudo()[model].display_names(ids)
        _write_trackings(env, [{"res_model": model, "res_id": rid, "kind": "unlink",
                                "old_value": names.get(rid)} for rid in ids])


def post_message(env: Environment, model: str, res_id: int, body: str,
                 internal: bool = False) -> int:
    """Post a message (or, with ``internal``, a note for internal users) on a record: as in
    Odoo, the user must be allowed to modify the record, unless its model lowers that to
    reading (``_mail_post_access = "read"``)."""
    cls = env.registry.models.get(model) if isinstance(model, str) else None
    name = check_record_access(env, model, res_id, getattr(cls, "_mail_post_access", "write"))
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("A message cannot be empty."), field="body")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError(_("A message is limited to %(n)s characters.",
                                n=MAX_MESSAGE_LENGTH), field="body")
    message = env.registry["mail.message"].create(env, [{
        "res_model": model, "res_id": int(res_id), "res_name": name, "body": text,
        "message_type": "note" if internal else "comment", "author_id": env.uid,
        "date": utcnow()}])[0]
    return message.id


def changes_since(env: Environment, model: str, res_id: int,
                  since: dt.datetime | None) -> list[dict[str, Any]]:
    """Tracked field changes of a record after ``since`` (oldest first)."""
    tracking = env.registry["mail.tracking"]
    query = select(tracking).where(tracking.res_model == model, tracking.res_id == res_id,
                                   tracking.kind == "write")
    if since is not None:
        query = query.where(tracking.date > since)
    messages = catalog(env.lang)
    return [{"field": t.field, "field_label": t.field_label,
             "old_value": translate(messages, t.old_value),
             "new_value": translate(messages, t.new_value), "user_id": t.user_id, "date": t.date}
            for t in env.session.scalars(query.order_by(tracking.id))]


def timeline(env: Environment, model: str, res_id: int, limit: int = 200, *,
             checked: bool = False) -> list[dict[str, Any]]:
    """Messages, notes, tracked changes and workflow steps of a record, newest first.

    Tracked changes made by one user at one moment form one entry with several ``changes``.
    Internal notes are shown to internal users only. Five queries whatever the history length
    (and the access check, unless ``checked``: the caller checked read access already).
    """
    rid = int(res_id) if checked else check_record(env, model, res_id, "read")
    internal = env.access.has_group("base.group_user") or env.access.is_admin
    entries: list[dict[str, Any]] = []
    message = env.registry["mail.message"]
    query = select(message).where(message.res_model == model, message.res_id == rid)
    if not internal:
        query = query.where(message.message_type != "note")
    for row in env.session.scalars(query.order_by(message.id.desc()).limit(limit)):
        entries.append({"kind": row.message_type, "date": row.date, "user_id": row.author_id,
                        "body": row.body, "sort": (row.date, 2, row.id)})
    tracking = env.registry["mail.tracking"]
    labels = env.registry[model].__fields__ if model in env.registry else {}
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    messages = catalog(env.lang)
    for row in env.session.scalars(select(tracking).where(
            tracking.res_model == model, tracking.res_id == rid)
            .order_by(tracking.id.desc()).limit(limit)):
        key = (row.date, row.user_id, row.kind)
        entry = grouped.get(key)
        if entry is None:
            entry = grouped[key] = {"kind": "tracking", "change": row.kind, "date": row.date,
                                    "user_id": row.user_id, "changes": [],
                                    "sort": (row.date, 0, row.id)}
            entries.append(entry)
        if row.field:
            info = labels.get(row.field)  # the label in the reader's language
            entry["changes"].insert(0, {"field": info.label if info is not None
                                        else row.field_label or row.field,
                                        "old": translate(messages, row.old_value),
                                        "new": translate(messages, row.new_value)})
    entries += _workflow_entries(env, model, rid, limit)
    users = env.sudo()["res.users"].display_names(
        {e["user_id"] for e in entries if e["user_id"]})
    for entry in entries:
        entry["author"] = users.get(entry["user_id"], "") if entry["user_id"] else ""
    entries.sort(key=lambda e: (e["sort"][0] or dt.datetime.min, e["sort"][1], e["sort"][2]),
                 reverse=True)
    return entries[:limit]


def _step_label(transition: Any, step: str | None) -> str:
    """A step's label in the reader's language (its declared label), not its key."""
    if not step:
        return ""
    declared = next((s for s in getattr(transition, "approvals", ()) if s.name == step), None)
    return str(declared.label or step) if declared is not None else _(step)


def _workflow_entries(env: Environment, model: str, rid: int, limit: int) -> list[dict[str, Any]]:
    if "workflow.history" not in env.registry:
        return []
    history = env.registry["workflow.history"]
    cls = env.registry[model]
    workflow = getattr(cls, "_workflow", None)
    info = cls.__fields__.get(workflow.field) if workflow is not None else None
    labels = dict(info.selection or ()) if info is not None else {}
    decisions = dict(history.__fields__["decision"].selection or ())
    result = []
    for row in env.session.scalars(select(history).where(
            history.res_model == model, history.res_id == rid)
            .order_by(history.id.desc()).limit(limit)):
        transition = workflow.transition(row.transition) if workflow is not None else None
        result.append({
            "kind": "workflow", "date": row.date, "user_id": row.user_id,
            "decision": row.decision, "decision_label": str(decisions.get(row.decision, "")),
            "action": str(transition.label or transition.name) if transition else row.transition,
            "step": _step_label(transition, row.step), "comment": row.comment,
            "from_state": str(labels.get(row.from_state, row.from_state or "")),
            "to_state": str(labels.get(row.to_state, row.to_state or "")),
            "sort": (row.date, 1, row.id)})
    return result
