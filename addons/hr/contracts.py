"""Contract expiry reminders: a to-do for the HR officers on each running contract that ends
within the notice period. :func:`remind_expiring_contracts` is the periodic job; it is safe to
run any number of times a day (a contract is reminded once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.activity import schedule
from core.translate import N_, gettext_for

#: days before the end date that HR hears of it (the law asks for 30 days' notice)
NOTICE_DAYS = 30


def expiring_contracts(env: Any, today: dt.date, days: int = NOTICE_DAYS) -> list[dict[str, Any]]:
    """Running contracts ending between ``today`` and ``today + days``."""
    return env.sudo()["hr.contract"].search_read(
        [("state", "=", "open"), ("date_end", ">=", today.isoformat()),
         ("date_end", "<=", (today + dt.timedelta(days=days)).isoformat())],
        ["name", "employee_id", "date_end", "reminded"], order="date_end")


def remind_expiring_contracts(env: Any, today: dt.date | None = None) -> int:
    """Schedule a to-do for an HR officer on each expiring contract not reminded yet, and mark
    running contracts past their end date expired. Returns the number of reminders."""
    today = today or dt.date.today()
    su = env.sudo()
    officer = _an_officer(su)
    lang = su["res.users"].read([officer], ["lang"])[0]["lang"] if officer else su.lang
    count = 0
    for contract in expiring_contracts(su, today):
        if contract["reminded"]:
            continue
        schedule(su, "hr.contract", contract["id"],
                 gettext_for(lang,  # the officer's words
                             N_("Contract %(name)s of %(employee)s ends on %(date)s: renew or "
                                "end it."), name=contract["name"],
                             employee=contract["employee_id"][1],
                             date=contract["date_end"].isoformat()),
                 contract["date_end"], user_id=officer)
        su["hr.contract"].write([contract["id"]], {"reminded": True})
        count += 1
    past = su["hr.contract"].search([("state", "=", "open"),
                                     ("date_end", "<", today.isoformat())])
    if past:
        su["hr.contract"].write(past, {"state": "close"})
    return count


def _an_officer(env: Any) -> int | None:
    """The first active member of the HR officers (None: the to-do goes to the superuser)."""
    group = env.ref_id("hr.group_officer")
    users = env["res.users"].search([("groups_id", "in", [group])], limit=1, order="id")
    return users[0] if users else None
