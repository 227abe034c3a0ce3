"""Notifications per event: an in-app notification for each recipient and, for those who chose
e-mail too (``res.users.notification_type == "email"``), an e-mail in their language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import _, _l
from ..translate import offline_catalog, translate

if TYPE_CHECKING:
    from ..env import Environment

__all__ = ["EVENTS", "notify", "render"]

#: event → (subject, body); ``%(name)s`` placeholders filled from the values given to notify
EVENTS: dict[str, tuple[Any, Any]] = {
    "approval_waiting": (
        _l("%(document)s waits for your approval"),
        _l("%(requester)s asks you to approve %(document)s (%(action)s).\n"
           "Open it: %(url)s")),
    "request_approved": (
        _l("%(document)s was approved"),
        _l("%(approver)s approved your request for %(document)s (%(action)s).\nOpen it: %(url)s")),
    "request_rejected": (
        _l("%(document)s was rejected"),
        _l("%(approver)s rejected your request for %(document)s (%(action)s).\n"
           "Reason: %(reason)s\nOpen it: %(url)s")),
    "document_sent": (
        _l("%(company)s: %(document)s"),
        _l("Dear customer,\n\nplease find %(document)s attached.\n\nKind regards,\n%(sender)s\n"
           "%(company)s")),
    "reminder": (
        _l("Reminder: %(subject)s"),
        _l("%(subject)s\n%(details)s\nOpen it: %(url)s")),
}


def render(event: str, lang: str | None, values: dict[str, Any]) -> tuple[str, str]:
    """The subject and body of ``event`` in ``lang`` (English outside a Flask app)."""
    from flask import has_app_context
    from flask_babel import force_locale

    subject, body = (_msgid(text) for text in EVENTS[event])
    if not has_app_context():  # an install or a job of the CLI: the catalogs on disk
        messages = offline_catalog(lang or "en") or {}
        values = {k: translate(messages, v) for k, v in values.items()}
        return (messages.get(subject, subject) % values, messages.get(body, body) % values)
    with force_locale(lang or "en"):
        return _(subject, **values), _(body, **values)


def _msgid(text: Any) -> str:
    """The untranslated message of an ``_l`` string (translated later, per recipient)."""
    return text._args[0] if hasattr(text, "_args") else str(text)


def notify(env: Environment, user_ids: list[int], event: str, values: dict[str, Any],
           url: str | None = None) -> list[int]:
    """Notify each of ``user_ids`` of ``event``; returns the ``mail.notification`` ids."""
    from .send import queue_mail

    su = env.sudo()
    users = su["res.users"].read(sorted(set(user_ids)),
                                 ["lang", "email", "notification_type", "active"])
    notes, mails = [], []
    for user in users:
        if not user["active"]:
            continue
        subject, body = render(event, user["lang"], {"url": url or "", **values})
        notes.append({"user_id": user["id"], "event": event, "title": subject, "body": body,
                      "url": url or False})
        if user["notification_type"] == "email" and user["email"]:
            mails.append((user["email"], subject, body))
    made = su["mail.notification"].create(notes) if notes else []
    for address, subject, body in mails:
        queue_mail(su, address, subject, body)
    return made if isinstance(made, list) else [made]
