"""The base addon's record-event hooks (audit trail, workflow guards, clean-up) and the access
rights of the workflow, chatter, sequence and attachment models.

Imported into :mod:`core.base.hooks`, the module registered as the base addon's plugin.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, inspect, select

from core import audit
from core.attachments import release_blobs
from core.errors import ValidationError
from core.i18n import _, _l
from core.integrity import is_engine
from core.menus import MenuItem
from core.plugins import hookimpl
from core.security import Access, Rule
from core.workflow import seed_steps, workflow_of

__all__ = ["record_created", "record_written", "record_unlinking", "addon_installed",
           "addon_uninstalling",
           "CHATTER_ACCESS", "CHATTER_RULES", "CHATTER_MENUS"]

#: models whose own rows are never tracked nor cleaned up by these hooks
_OWN_MODELS = {"mail.message", "mail.tracking", "mail.activity", "ir.attachment",
               "workflow.request", "workflow.history", "workflow.step", "ir.sequence.year"}

CHATTER_ACCESS = [
    Access("base.access_ir_sequence_user", "ir.sequence", "base.group_user"),
    Access("base.access_ir_sequence_admin", "ir.sequence", "base.group_system",
           read=True, write=True, create=True, unlink=True),
    Access("base.access_workflow_step_user", "workflow.step", "base.group_user"),
    Access("base.access_workflow_step_admin", "workflow.step", "base.group_system",
           read=True, write=True, create=True, unlink=True),
    Access("base.access_mail_activity_user", "mail.activity", "base.group_user",
           read=True, write=True, create=True, unlink=True),
    # history models: read-only for administrators through the generic views; users read them
    # through a record's timeline, which checks their access to that record
    Access("base.access_workflow_history_admin", "workflow.history", "base.group_system"),
    Access("base.access_workflow_request_admin", "workflow.request", "base.group_system"),
    Access("base.access_mail_message_admin", "mail.message", "base.group_system"),
    Access("base.access_mail_tracking_admin", "mail.tracking", "base.group_system"),
    Access("base.access_ir_attachment_admin", "ir.attachment", "base.group_system"),
]

CHATTER_RULES = [
    Rule("base.rule_mail_activity_own", _l("Own activities"), "mail.activity",
         "['|', ('user_id', '=', uid), ('create_uid', '=', uid)]", groups=("base.group_user",)),
    Rule("base.rule_mail_activity_admin", _l("All activities"), "mail.activity",
         "[(1, '=', 1)]", groups=("base.group_system",)),
]


_ADMIN = ("base.group_system",)
#: the inbox application, and the technical menus under Settings (``base.menu_settings``)
CHATTER_MENUS = [
    MenuItem("base.menu_inbox", _l("Inbox"), sequence=1, groups=("base.group_user",)),
    MenuItem("base.menu_approvals", _l("Waiting for my approval"), "base.menu_inbox", 10,
             url="/web/approvals"),
    MenuItem("base.menu_my_activities", _l("My activities"), "base.menu_inbox", 20,
             url="/web/activities"),
    MenuItem("base.menu_overdue_activities", _l("Overdue activities"), "base.menu_inbox", 30,
             url="/web/activities?filter=overdue"),
    MenuItem("base.menu_technical", _l("Technical"), "base.menu_settings", 50, groups=_ADMIN),
    MenuItem("base.menu_sequences", _l("Sequences"), "base.menu_technical", 10,
             model="ir.sequence"),
    MenuItem("base.menu_workflow_steps", _l("Approval steps"), "base.menu_technical", 20,
             model="workflow.step"),
    MenuItem("base.menu_workflow_history", _l("Approval history"), "base.menu_technical", 30,
             model="workflow.history"),
    MenuItem("base.menu_mail_tracking", _l("Tracked changes"), "base.menu_technical", 40,
             model="mail.tracking"),
    MenuItem("base.menu_attachments", _l("Attachments"), "base.menu_technical", 50,
             model="ir.attachment"),
]


def _watched(model: str) -> bool:
    return model not in _OWN_MODELS


def _starts_elsewhere(env: Any, cls: Any, field: str, ids: list[int], initial: str) -> bool:
    """Does a new record of ``ids`` hold a state other than ``initial``? Read from the records
    the session holds (just inserted), else in one query."""
    session = env.session
    held = [session.identity_map.get(session.identity_key(cls, rid)) for rid in ids]
    if all(r is not None and field in inspect(r).dict for r in held):
        return any(getattr(r, field) not in (None, initial) for r in held)
    column = cls.__table__.c[field]
    return env.session.scalar(select(cls.id).where(
        cls.id.in_(ids), column.is_not(None), column != initial).limit(1)) is not None


@hookimpl
def record_created(env: Any, model: str, ids: list[int]) -> None:
    if not _watched(model):
        return
    cls = env.registry[model]
    workflow = workflow_of(cls)
    if workflow is not None and not is_engine(env):
        initial = workflow.initial_state(cls)
        if _starts_elsewhere(env, cls, workflow.field, ids, initial):  # a default_<state>…
            raise ValidationError(_("New %(model)s records start in the state %(state)s; "
                                    "only workflow actions change it.", model=model,
                                    state=initial), field=workflow.field)
    audit.track_created(env, model, ids)


@hookimpl
def record_written(env: Any, model: str, record_id: int, old: dict[str, Any],
                   new: dict[str, Any]) -> None:
    if _watched(model):
        audit.track_written(env, model, record_id, old, new)


@hookimpl
def record_unlinking(env: Any, model: str, ids: list[int]) -> None:
    if not _watched(model):
        return
    audit.track_unlinking(env, model, ids)
    registry = env.registry
    if workflow_of(registry[model]) is not None:
        from core.workflow_engine import cancel_requests

        cancel_requests(env, model, ids)
    activity = registry["mail.activity"]
    env.session.execute(delete(activity).where(activity.res_model == model,
                                               activity.res_id.in_(ids)))
    files = registry["ir.attachment"]
    release_blobs(env, env.session.scalars(delete(files).where(
        files.res_model == model, files.res_id.in_(ids)).returning(files.checksum)).all())


@hookimpl
def addon_uninstalling(env: Any, addon: str) -> None:
    """The models the addon created go away: their pending requests leave every inbox and their
    activities every list (history and tracked changes stay, append-only)."""
    registry = env.registry
    models = [name for name, owner in registry.model_owner.items()
              if owner == addon and name not in _OWN_MODELS]
    if not models:
        return
    request = registry["workflow.request"]
    for row in env.session.scalars(select(request).where(request.res_model.in_(models),
                                                         request.state == "pending")):
        row.state = "cancelled"
    rel = request.metadata.tables["workflow_request_approver_rel"]
    env.session.execute(delete(rel).where(rel.c.request_id.in_(
        select(request.id).where(request.res_model.in_(models)))))
    activity = registry["mail.activity"]
    env.session.execute(delete(activity).where(activity.res_model.in_(models)))
    env.session.flush()


@hookimpl
def addon_installed(env: Any, addon: str) -> None:
    """Seed the approval steps of the workflows the new addon declares (kept if they exist)."""
    for cls in env.registry.models.values():
        if addon in cls.__addons__ and workflow_of(cls) is not None:
            seed_steps(env, cls)
