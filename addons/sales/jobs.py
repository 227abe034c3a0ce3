"""Scheduled job of sales: overdue collections (逾期回款), a reminder a day to each order's
salesperson while the order's oldest uncollected invoice is past due."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.i18n import _l
from core.jobs import CronJob
from core.mail import notify


def overdue_reminders(env: Any, today: dt.date | None = None) -> int:
    """Orders with an amount due whose payment date has passed; one reminder per order."""
    today = today or dt.date.today()
    orders = env["sale.order"].search_read(
        [("amount_due", ">", 0), ("payment_due_date", "<", today), ("user_id", "!=", False)],
        ["name", "partner_id", "user_id", "amount_due", "payment_due_date"])
    for order in orders:
        days = (today - order["payment_due_date"]).days
        amount = "{:,.2f}".format(order["amount_due"])
        notify(env, [order["user_id"][0]], "reminder", {  # lazy: in the recipient's language
            "subject": _l("Overdue collection: %(order)s %(partner)s %(amount)s",
                          order=order["name"], partner=order["partner_id"][1],
                          amount=amount),
            "details": _l("Due on %(date)s, %(days)s days ago.",
                          date=order["payment_due_date"], days=days)},
            url=f"/web/sale.order/{order['id']}")
    return len(orders)


JOBS = [CronJob("sales.job_overdue_reminders", _l("Overdue collection reminders"),
                overdue_reminders, cron="0 8 * * *")]
