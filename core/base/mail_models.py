"""Chatter models: messages and notes, tracked changes, activities, attachments.

Each row points at any record through ``res_model`` + ``res_id``. ``mail.message`` and
``mail.tracking`` are history: ``_engine_only``, so no door (UI, REST, RPC, import) edits or
deletes them; they are written by :mod:`core.audit`. Users read them through the record's
timeline, which checks read access to the record first.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l

from .attached import attached_to_record

MESSAGE_TYPES = [("comment", _l("Message")), ("note", _l("Internal note"))]
TRACKING_KINDS = [("create", _l("Created")), ("write", _l("Changed")),
                  ("unlink", _l("Deleted"))]
ACTIVITY_TYPES = [("todo", _l("To do")), ("call", _l("Call")), ("meeting", _l("Meeting")),
                  ("email", _l("Email")), ("follow_up", _l("Follow-up"))]


@attached_to_record()
class Message:
    _name = "mail.message"
    _description = _l("Message")
    _rec_name = "res_name"

    message_type: Mapped[str] = fields.Selection(MESSAGE_TYPES, _l("Type"), default="comment")
    body: Mapped[str] = fields.Text(_l("Text"), required=True)
    author_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Author"))
    date: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Date"))


@attached_to_record(name=False)
class Tracking:
    _name = "mail.tracking"
    _description = _l("Tracked change")
    _rec_name = "field"

    kind: Mapped[str] = fields.Selection(TRACKING_KINDS, _l("Change"), required=True)
    field: Mapped[Optional[str]] = fields.Char(_l("Field"), size=64, code=True)
    field_label: Mapped[Optional[str]] = fields.Char(_l("Field label"), translate=True)
    old_value: Mapped[Optional[str]] = fields.Text(_l("Old value"), translate=True)
    new_value: Mapped[Optional[str]] = fields.Text(_l("New value"), translate=True)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("By"))
    date: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Date"), index=True)


@attached_to_record(engine_only=False)  # users plan and close their activities
class Activity:
    _name = "mail.activity"
    _description = _l("Activity")
    _order = "date_deadline, id"
    _rec_name = "summary"

    activity_type: Mapped[str] = fields.Selection(ACTIVITY_TYPES, _l("Type"), default="todo")
    summary: Mapped[str] = fields.Char(_l("Summary"), required=True)
    note: Mapped[Optional[str]] = fields.Text(_l("Note"))
    date_deadline: Mapped[dt.date] = fields.Date(_l("Due date"), required=True, index=True)
    user_id: Mapped[int] = fields.Many2one("res.users", _l("Assigned to"), required=True)
    done: Mapped[bool] = fields.Boolean(_l("Done"))
    done_date: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Done on"))

    @classmethod
    def create(cls, env, vals_list):  # noqa: ANN001, ANN206 - BaseModel's signature
        """An activity may be planned only on a record the acting user can read."""
        from core.audit import check_record_access

        for vals in vals_list:
            vals["res_name"] = check_record_access(env, vals.get("res_model"),
                                                   vals.get("res_id"), "read")
        return super().create(env, vals_list)


@attached_to_record(name=False, after="name")
class Attachment:
    _name = "ir.attachment"
    _description = _l("Attachment")

    name: Mapped[str] = fields.Char(_l("File name"), required=True)
    mimetype: Mapped[Optional[str]] = fields.Char(_l("Type"), size=128)
    file_size: Mapped[Optional[int]] = fields.Integer(_l("Size"))
    checksum: Mapped[str] = fields.Char(_l("Checksum"), size=64, required=True, index=True,
                                        readonly=True)


MAIL_MODELS = [Message, Tracking, Activity, Attachment]
