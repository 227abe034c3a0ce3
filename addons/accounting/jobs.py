"""Scheduled job of accounting: the month-end close (月末结账). In the last three days of a month,
and while last month's period is still open, the chief and cost accountants are reminded of the
period to close, with the number of entries still in draft in it and what other addons add
through ``account_period_reminders`` (stock_account: shipments not matched with invoices)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.i18n import _l
from core.jobs import CronJob
from core.mail import notify
from core.workflow_engine import group_members

from .models.period import month_end

LAST_DAYS = 3
ACCOUNTANTS = ("accounting.group_chief", "accounting.group_cost")


def periods_to_close(env: Any, today: dt.date) -> list[dict[str, Any]]:
    """Last month's period while still open; this month's too in its last days."""
    days = [today.replace(day=1) - dt.timedelta(days=1)]
    if (month_end(today) - today).days < LAST_DAYS:
        days.append(today)
    return env["account.period"].search_read(
        [("state", "=", "open"), ("code", "in", [day.strftime("%Y-%m") for day in days])],
        ["name", "date_from", "date_to"], order="date_from")


def month_end_reminders(env: Any, today: dt.date | None = None) -> int:
    """One reminder per period to close to each chief and cost accountant."""
    periods = periods_to_close(env, today or dt.date.today())
    users = sorted({uid for group in ACCOUNTANTS for uid in group_members(env, env.ref_id(group))})
    for period in periods:
        drafts = env["account.move"].search_count([
            ("state", "=", "draft"), ("date", ">=", period["date_from"]),
            ("date", "<=", period["date_to"])])
        details = [_l("Close the period %(period)s (ends %(end)s); %(drafts)s entries in it "
                      "are still drafts.", period=period["name"], end=period["date_to"],
                      drafts=drafts)]  # lazy: translated for each recipient
        for _addon, lines in env.registry.call("account_period_reminders", env=env,
                                               period=period):
            details += lines
        notify(env, users, "reminder", {"subject": period["name"], "details": details},
               url=f"/web/account.period/{period['id']}")
    return len(periods)


JOBS = [CronJob("accounting.job_month_end_reminders", _l("Month-end close reminders"),
                month_end_reminders, cron="0 1 * * *")]
