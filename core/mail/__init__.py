"""E-mail and notifications (see ``docs/platform.md``): outgoing mail servers
(``ir.mail_server``), outgoing mail (``mail.mail``) sent by the job queue with retries, and
notifications per event, in-app (``mail.notification``, the top bar's bell) and by e-mail as each
user chooses (``res.users.notification_type``)."""

from __future__ import annotations

from .notify import EVENTS, notify
from .send import queue_mail, send_mail

__all__ = ["EVENTS", "notify", "queue_mail", "send_mail"]
