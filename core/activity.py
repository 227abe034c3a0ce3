"""Activities: to-dos (type, due date, assignee, note) planned on any record.

``mail.activity`` goes through the model service like any model: users see and change the
activities assigned to them or planned by them (a record rule; administrators see all), and an
activity can be planned only on a record its author may read. Marking one done keeps it (``done``)
and posts a note on the record, so the timeline shows it. CRM follow-ups build on this.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .attachments import attach_files, files_of
from .audit import check_record, post_message
from .i18n import _
from .models import utcnow

if TYPE_CHECKING:
    from .env import Environment

__all__ = ["schedule", "mark_done", "my_activities", "activities_of", "activity_status"]

_FIELDS = ["res_model", "res_id", "res_name", "activity_type", "summary", "note",
           "date_deadline", "user_id", "done", "done_date"]


def schedule(env: Environment, model: str, res_id: int, summary: str, date_deadline: Any,
             user_id: int | None = None, activity_type: str = "todo",
             note: str | None = None, files: Any = ()) -> int:
    """Plan an activity on a record; assigned to the acting user unless ``user_id`` is given.
    ``files`` (``(name, bytes, mimetype)``) go with it: its assignee downloads them from the
    to-do list, even without access to the record."""
    created = env["mail.activity"].create({
        "res_model": model, "res_id": res_id, "summary": summary, "note": note or False,
        "date_deadline": date_deadline, "user_id": user_id or env.uid,
        "activity_type": activity_type})
    assert isinstance(created, int)
    if files:
        attach_files(env, "mail.activity", [created], files)
    return created


def mark_done(env: Environment, activity_id: int, feedback: str | None = None) -> None:
    """Mark an activity done (through the service: only its assignee or author may) and note it
    on the record."""
    activities = env["mail.activity"]
    row = activities.read([activity_id], ["res_model", "res_id", "summary", "done"])[0]
    if row["done"]:
        return
    activities.write([activity_id], {"done": True, "done_date": utcnow()})
    text = _("Activity done: %(summary)s", summary=row["summary"])
    if feedback and feedback.strip():
        text = f"{text}\n{feedback.strip()}"
    post_message(env, row["res_model"], row["res_id"], text, internal=True)


def activity_status(deadline: dt.date | None, today: dt.date | None = None) -> str:
    """``overdue``, ``today`` or ``planned``."""
    today = today or dt.date.today()
    if deadline is None or deadline > today:
        return "planned"
    return "today" if deadline == today else "overdue"


def my_activities(env: Environment, overdue: bool = False, offset: int = 0,
                  limit: int = 80) -> tuple[list[dict[str, Any]], int]:
    """Open activities assigned to the acting user (only overdue ones with ``overdue``), by due
    date; returns ``(page, total)``."""
    domain: list[Any] = [("user_id", "=", env.uid), ("done", "=", False)]
    if overdue:
        domain.append(("date_deadline", "<", dt.date.today()))
    activities = env["mail.activity"]
    rows = activities.search_read(domain, _FIELDS, offset=offset, limit=limit,
                                  order="date_deadline, id")
    files = files_of(env, "mail.activity", [row["id"] for row in rows])
    for row in rows:
        row["status"] = activity_status(row["date_deadline"])
        row["files"] = files.get(row["id"], [])
    return rows, activities.search_count(domain)


def activities_of(env: Environment, model: str, res_id: int, *,
                  checked: bool = False) -> list[dict[str, Any]]:
    """The open activities of a record the user may read, whoever they are assigned to
    (``checked``: the caller checked read access already)."""
    rid = int(res_id) if checked else check_record(env, model, res_id, "read")
    rows = env.sudo()["mail.activity"].search_read(
        [("res_model", "=", model), ("res_id", "=", rid), ("done", "=", False)],
        _FIELDS, order="date_deadline, id")
    for row in rows:
        row["status"] = activity_status(row["date_deadline"])
    return rows
