"""What the base addon registers for mail: access rights, rules, menus and views."""

from __future__ import annotations

from ..i18n import _l
from ..menus import MenuItem
from ..security import Access, Rule
from ..views import Field, FormView, ListView

_ADMIN = ("base.group_system",)

MAIL_ACCESS = [
    Access("base.access_ir_mail_server_admin", "ir.mail_server", "base.group_system",
           write=True, create=True, unlink=True),
    Access("base.access_mail_mail_admin", "mail.mail", "base.group_system", write=True,
           unlink=True),
    Access("base.access_mail_notification_user", "mail.notification", "base.group_user",
           write=True, unlink=True),
]

MAIL_RULES = [
    Rule("base.rule_mail_notification_own", _l("Own notifications"), "mail.notification",
         "[('user_id', '=', uid)]"),
]

MAIL_MENUS = [
    MenuItem("base.menu_mail_servers", _l("Outgoing mail servers"), "base.menu_settings", 37,
             model="ir.mail_server", groups=_ADMIN),
    MenuItem("base.menu_mail_mail", _l("Outgoing e-mails"), "base.menu_technical", 70,
             model="mail.mail", groups=_ADMIN),
    MenuItem("base.menu_notifications", _l("Notifications"), "base.menu_inbox", 40,
             url="/web/notifications"),
]

MAIL_VIEWS = [
    ListView("ir.mail_server", ("name", "smtp_host", "smtp_port", "smtp_encryption",
                                "smtp_user", "from_address", "active")),
    FormView("ir.mail_server", ("name", "smtp_host", "smtp_port", "smtp_encryption", "smtp_user",
                                "smtp_pass", "from_address", "sequence", "active")),
    ListView("mail.mail", ("subject", "email_to", "state", "create_date", "failure_reason"),
             search=("subject", "email_to"), group_by=("state",)),
    FormView("mail.mail", ("subject", "email_from", "email_to", "state", "res_model", "res_id",
                           Field("body", widget="textarea", readonly=True),
                           Field("failure_reason", widget="textarea", readonly=True),
                           Field("attachment_ids", widget="tags", readonly=True))),
]
