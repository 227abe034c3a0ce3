"""``ir.mail_server``, ``mail.mail`` and ``mail.notification``, kept by the base addon."""

from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Mapped

from .. import fields
from ..i18n import _l

ENCRYPTIONS = [("none", _l("None")), ("starttls", _l("STARTTLS")), ("ssl", _l("SSL/TLS"))]
MAIL_STATES = [("outgoing", _l("Outgoing")), ("sent", _l("Sent")),
               ("exception", _l("Delivery failed"))]


class MailServer:
    _name = "ir.mail_server"
    _description = _l("Outgoing mail server")
    _order = "sequence, id"

    name: Mapped[str] = fields.Char(_l("Name"), required=True)
    smtp_host: Mapped[str] = fields.Char(_l("SMTP server"), required=True)
    smtp_port: Mapped[Optional[int]] = fields.Integer(_l("SMTP port"), default=25)
    smtp_encryption: Mapped[Optional[str]] = fields.Selection(
        ENCRYPTIONS, _l("Connection security"), default="none")
    smtp_user: Mapped[Optional[str]] = fields.Char(_l("Username"))
    smtp_pass: Mapped[Optional[str]] = fields.Char(_l("Password"), groups="base.group_system")
    from_address: Mapped[Optional[str]] = fields.Char(_l("From address"))
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Priority"), default=10)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class Mail:
    _name = "mail.mail"
    _description = _l("Outgoing e-mail")
    _order = "id desc"
    _rec_name = "subject"

    email_from: Mapped[Optional[str]] = fields.Char(_l("From"))
    email_to: Mapped[str] = fields.Char(_l("To"), required=True)
    subject: Mapped[str] = fields.Char(_l("Subject"), required=True)
    body: Mapped[Optional[str]] = fields.Text(_l("Body"))
    state: Mapped[str] = fields.Selection(MAIL_STATES, _l("Status"), default="outgoing",
                                          index=True)
    failure_reason: Mapped[Optional[str]] = fields.Text(_l("Failure reason"))
    res_model: Mapped[Optional[str]] = fields.Char(_l("Model"), size=128)
    res_id: Mapped[Optional[int]] = fields.Integer(_l("Record"))
    attachment_ids = fields.Many2many("ir.attachment", _l("Attachments"),
                                      relation="mail_mail_attachment_rel", column1="mail_id",
                                      column2="attachment_id")


class Notification:
    _name = "mail.notification"
    _description = _l("Notification")
    _order = "id desc"
    _rec_name = "title"

    user_id: Mapped[int] = fields.Many2one("res.users", _l("User"), required=True,
                                           ondelete="CASCADE")
    event: Mapped[Optional[str]] = fields.Char(_l("Event"), size=64)
    title: Mapped[str] = fields.Char(_l("Notification title"), required=True)
    body: Mapped[Optional[str]] = fields.Text(_l("Message"))
    url: Mapped[Optional[str]] = fields.Char(_l("Link"), size=512)
    is_read: Mapped[bool] = fields.Boolean(_l("Read"))


MAIL_MODELS = [MailServer, Mail, Notification]
