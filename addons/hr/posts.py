"""Posts grant groups: a user holds the groups of the posts of their employee record.

What a post sync added is remembered on the employee (``granted_group_ids``), so taking a post
away removes only the groups that posts granted and that no remaining post grants; groups an
administrator gave the user by hand stay. Each change is a note on the employee's timeline.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.audit import post_message
from core.i18n import _, ugettext


def _wanted_groups(env: Any, employee: dict[str, Any]) -> set[int]:
    if not employee["active"] or employee["state"] == "resigned" or not employee["user_id"]:
        return set()
    jobs = set(employee["job_ids"]) | ({employee["job_id"][0]} if employee["job_id"] else set())
    if not jobs:
        return set()
    job = env.registry["hr.job"]
    rel = job.metadata.tables["hr_job_group_rel"]
    return set(env.session.scalars(select(rel.c.group_id).where(rel.c.job_id.in_(jobs))))


def sync_employee(env: Any, employee_id: int) -> None:
    """Give the employee's user the groups of their posts; take back what posts no longer grant."""
    su = env.sudo().with_context(active_test=False)
    employee = su["hr.employee"].read([employee_id], [
        "active", "state", "user_id", "job_id", "job_ids", "granted_group_ids", "name"])[0]
    wanted = _wanted_groups(su, employee)
    had = set(employee["granted_group_ids"])
    user_id = employee["user_id"][0] if employee["user_id"] else None
    current = set(su["res.users"].read([user_id], ["groups_id"])[0]["groups_id"]) \
        if user_id else set()
    added = wanted - current
    removed = had - wanted
    granted = (had & wanted) | added
    if granted != had:
        su["hr.employee"].write([employee_id], {"granted_group_ids": [(6, 0, sorted(granted))]})
    if user_id and (added or removed):
        su["res.users"].write([user_id], {"groups_id": [(4, g) for g in sorted(added)]
                                          + [(3, g) for g in sorted(removed)]})
        names = {g: ugettext(n) for g, n in  # stored names are the catalog's messages
                 su["res.groups"].display_names(added | removed).items()}
        lines = []
        if added:
            lines.append(_("Groups granted by posts: %(groups)s",
                           groups=", ".join(names[g] for g in sorted(added))))
        if removed:
            lines.append(_("Groups taken back: %(groups)s",
                           groups=", ".join(names[g] for g in sorted(removed))))
        post_message(su, "hr.employee", employee_id, "\n".join(lines), internal=True)


def sync_job(env: Any, job_id: int) -> None:
    """A post's groups changed: sync every employee holding it."""
    su = env.sudo().with_context(active_test=False)
    for employee_id in su["hr.employee"].search(
            ["|", ("job_ids", "in", [job_id]), ("job_id", "=", job_id)]):
        sync_employee(env, employee_id)


def user_changed(env: Any, employee_id: int, old_user: int | None) -> None:
    """The employee's user is replaced: the previous user loses what posts granted them (the
    new one gets the posts' groups when the write's constraints run)."""
    su = env.sudo().with_context(active_test=False)
    had = su["hr.employee"].read([employee_id], ["granted_group_ids"])[0]["granted_group_ids"]
    if not had:
        return
    if old_user:
        su["res.users"].write([old_user], {"groups_id": [(3, g) for g in had]})
    su["hr.employee"].write([employee_id], {"granted_group_ids": [(5, 0, 0)]})
