"""Outgoing mail: queued as ``mail.mail`` and sent by a job (retried with back-off by the queue;
after the last failure the mail stays in ``exception`` with the reason)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from ..attachments import store
from ..errors import UserError
from ..i18n import _
from ..jobs import enqueue

if TYPE_CHECKING:
    from ..env import Environment

__all__ = ["queue_mail", "send_mail"]


def queue_mail(env: Environment, email_to: str, subject: str, body: str,
               attachments: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
               res_model: str | None = None, res_id: int | None = None) -> int:
    """Record an outgoing e-mail and send it by the job queue once the transaction commits."""
    su = env.sudo()
    attachment_ids = [store(su, res_model or "mail.mail", res_id or 0, name, data, mimetype)
                      for name, data, mimetype in attachments] if res_model else []
    mail_id = su["mail.mail"].create({
        "email_to": email_to, "subject": subject, "body": body, "res_model": res_model or False,
        "res_id": res_id or False, "attachment_ids": [(6, 0, attachment_ids)]})
    enqueue(su, send_mail, mail_id, name=f"E-mail: {subject}"[:200])
    return mail_id


def _server(env: Environment) -> Any:
    servers = env["ir.mail_server"]
    ids = servers.search([], limit=1)
    if not ids:
        raise UserError(_("No outgoing mail server is set up (Settings › Outgoing mail "
                          "servers)."))
    return env.session.get(env.registry["ir.mail_server"], ids[0])


def _message(env: Environment, mail: Any, sender: str) -> EmailMessage:
    from ..attachments import open_attachment

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, mail.email_to, mail.subject
    message.set_content(mail.body or "")
    for attachment_id in env["mail.mail"].read([mail.id], ["attachment_ids"])[0][
            "attachment_ids"]:
        row, path = open_attachment(env, attachment_id)
        maintype, _sep, subtype = (row.mimetype or "application/octet-stream").partition("/")
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype,
                               filename=row.name)
    return message


def send_mail(env: Environment, mail_id: int) -> None:
    """Send one ``mail.mail`` through the first active outgoing server (a job)."""
    su = env.sudo()
    mail = su.session.get(su.registry["mail.mail"], mail_id)
    if mail is None or mail.state == "sent":
        return
    try:
        server = _server(su)
        sender = mail.email_from or server.from_address or server.smtp_user or "kangyi@localhost"
        message = _message(su, mail, sender)
        if server.smtp_encryption == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(server.smtp_host, server.smtp_port or 465,
                                                    timeout=30,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(server.smtp_host, server.smtp_port or 25, timeout=30)
        with client:
            if server.smtp_encryption == "starttls":
                client.starttls(context=ssl.create_default_context())
            if server.smtp_user:
                client.login(server.smtp_user, server.smtp_pass or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException, UserError) as exc:
        _mark_failed(env, mail_id, str(exc))
        raise
    mail.state, mail.email_from, mail.failure_reason = "sent", sender, None


def _mark_failed(env: Environment, mail_id: int, reason: str) -> None:
    """Record the failure in a transaction of its own (the job's is rolled back)."""
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    table = env.registry["mail.mail"].__table__
    env.session.rollback()  # end the job's transaction first: SQLite writers queue (issue 17)
    with Session(env.session.get_bind()) as session, session.begin():
        session.execute(update(table).where(table.c.id == mail_id).values(
            state="exception", failure_reason=reason[:2000]))
