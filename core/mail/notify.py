"""Notifications per event: an in-app notification for each recipient and, for those who chose
e-mail too (``res.users.notification_type == "email"``), an e-mail in their language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask_babel import LazyString
from sqlalchemy import select

from ..i18n import _, _l
from ..translate import catalog, offline_catalog, translate

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
    """The subject and body of ``event`` in ``lang`` (the app's catalogs, else those on disk);
    a value may be a lazy string (``_l``) or a list of them (one line each)."""
    from flask import has_app_context
    from flask_babel import force_locale

    subject, body = (_msgid(text) for text in EVENTS[event])
    if not has_app_context():  # an install or a job of the CLI: the catalogs on disk
        messages = offline_catalog(lang or "en") or {}
        values = {k: _offline(messages, v) for k, v in values.items()}
        return (messages.get(subject, subject) % values, messages.get(body, body) % values)
    with force_locale(lang or "en"):
        values = {k: _lines(v) for k, v in values.items()}
        return _(subject, **values), _(body, **values)


def _lines(value: Any) -> Any:
    """A list of values as lines of text (each translated now, in the recipient's language)."""
    return "\n".join(str(v) for v in value) if isinstance(value, (list, tuple)) else value


def _offline(messages: dict[str, str], value: Any) -> Any:
    """``value`` in the catalog's language: lazy strings (``_l``) with their variables, lists
    as lines, stored values through :func:`translate`."""
    if isinstance(value, (list, tuple)):
        return "\n".join(str(_offline(messages, v)) for v in value)
    if isinstance(value, LazyString):
        text = _msgid(value)
        variables = {k: _offline(messages, v) for k, v in value._kwargs.items()}
        text = messages.get(text, text)
        return text % variables if variables else text
    return translate(messages, value)


def _msgid(text: Any) -> str:
    """The untranslated message of an ``_l`` string (translated later, per recipient)."""
    return text._args[0] if hasattr(text, "_args") else str(text)


def notify(env: Environment, user_ids: list[int], event: str, values: dict[str, Any],
           url: str | None = None, files: Any = (),
           names: dict[str, int | None] | None = None) -> list[int]:
    """Notify each of ``user_ids`` of ``event``; returns the ``mail.notification`` ids.
    ``files`` (``(name, bytes, mimetype)``) go with each notification, listed on the
    notifications page for its reader (the e-mail links to the page). ``names``
    (``{value: user id}``) add those users' names to ``values``, as ``display_names`` words
    them, read with the recipients."""
    from .send import queue_mail

    su = env.sudo()
    users = env.registry["res.users"]
    named = {uid for uid in (names or {}).values() if uid}
    rows = env.session.execute(  # the recipients and the users named, in one query
        select(users.id, users.lang, users.email, users.notification_type, users.active,
               users.name).where(users.id.in_(set(user_ids) | named)).order_by(users.id)).all()
    if names:
        messages = catalog(env.lang)
        found = {row.id: str(translate(messages, row.name)) for row in rows if row.id in named}
        values = {**values, **{key: found.get(uid, "") if uid else ""
                               for key, uid in names.items()}}
    wanted = set(user_ids)
    recipients = [row[:4] for row in rows if row.id in wanted and row.active]
    notes, mails = [], []
    for uid, lang, email, notification_type in recipients:
        subject, body = render(event, lang, {"url": url or "", **values})
        notes.append({"user_id": uid, "event": event, "title": subject, "body": body,
                      "url": url or False})
        if notification_type == "email" and email:
            mails.append((email, subject, body))
    made = su["mail.notification"].create(notes) if notes else []
    made = made if isinstance(made, list) else [made]
    if files:
        from ..attachments import attach_files

        attach_files(su, "mail.notification", made, files)
    for address, subject, body in mails:
        queue_mail(su, address, subject, body)
    return made
