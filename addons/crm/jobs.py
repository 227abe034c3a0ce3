"""Scheduled jobs of crm: contracts about to expire and collection-plan instalments falling due
(reminders to the salesperson), return visits due (reminders to the customer-service agent);
in-app and by e-mail as each one chooses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.i18n import _l
from core.jobs import CronJob
from core.mail import notify

EXPIRY_DAYS, DUE_DAYS = 30, 7


def _remind(env: Any, user: Any, subject: Any, details: Any, url: str) -> None:
    """Subject and details are lazy strings: translated for the recipient."""
    if user:
        notify(env, [user[0]], "reminder", {"subject": subject, "details": details}, url=url)


def contract_reminders(env: Any, today: dt.date | None = None) -> int:
    """Contracts in force ending within 30 days; open instalments due within 7 days."""
    today = today or dt.date.today()
    contracts = env["crm.contract"].search_read(
        [("state", "=", "active"), ("date_end", ">=", today),
         ("date_end", "<=", today + dt.timedelta(days=EXPIRY_DAYS))],
        ["name", "title", "date_end", "user_id"])
    for c in contracts:
        _remind(env, c["user_id"],
                _l("Contract %(contract)s ends on %(date)s", contract=c["name"],
                   date=c["date_end"]),
                _l("%(title)s: %(days)s days left to renew it with the customer.",
                   title=c["title"] or c["name"], days=(c["date_end"] - today).days),
                f"/web/crm.contract/{c['id']}")
    instalments = env["crm.contract.installment"].search_read(
        [("state", "in", ["open", "partial"]),
         ("date_due", "<=", today + dt.timedelta(days=DUE_DAYS))],
        ["contract_id", "date_due", "amount", "amount_received"])
    owners = {c["id"]: c for c in env["crm.contract"].read(
        sorted({i["contract_id"][0] for i in instalments}), ["name", "user_id"])}
    for i in instalments:
        contract = owners[i["contract_id"][0]]
        due = "{:,.2f}".format((i["amount"] or 0) - (i["amount_received"] or 0))
        _remind(env, contract["user_id"],
                _l("Collection of %(amount)s due on %(date)s (contract %(contract)s)",
                   amount=due, date=i["date_due"], contract=contract["name"]),
                _l("An instalment of the collection plan (回款计划) falls due: remind the "
                   "customer."), f"/web/crm.contract/{contract['id']}")
    return len(contracts) + len(instalments)


def visit_reminders(env: Any, today: dt.date | None = None) -> int:
    """Planned return visits (回访) due today or overdue: one reminder per visit to its agent."""
    today = today or dt.date.today()
    visits = env["crm.visit"].search_read(
        [("state", "=", "planned"), ("planned_date", "<=", today), ("user_id", "!=", False)],
        ["name", "partner_id", "planned_date", "user_id"])
    for v in visits:
        _remind(env, v["user_id"],
                _l("Return visit to %(partner)s due on %(date)s", partner=v["partner_id"][1],
                   date=v["planned_date"]),
                _l("%(visit)s: call or visit the customer and record the result.",
                   visit=v["name"]), f"/web/crm.visit/{v['id']}")
    return len(visits)


JOBS = [CronJob("crm.job_contract_reminders", _l("Contract expiry and collection reminders"),
                contract_reminders, cron="0 7 * * *"),
        CronJob("crm.job_visit_reminders", _l("Return visit reminders"), visit_reminders,
                cron="30 7 * * *")]
