"""Monthly project cost statistics (项目费用统计): per project, what the month cost — timesheet
hours × the employees' hourly cost, approved presales expense claims, other approved expense
claims — against the project's budget (actual to date, remaining).

Aggregated in SQL: two ``read_group`` calls (GROUP BY project × month up to the month's end,
through the model service, so each user's record rules decide what they see) and one read of the
projects, whatever the number of entries. The scheduled job stores each month's figures
(``project.cost.month``) and sends the report to the cost director and the general manager; the
page computes any month on demand and links every figure to its entries.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from core.errors import AccessError
from core.i18n import _, _l
from core.money import money

ZERO = Decimal("0.00")


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _key(group: dict[str, Any]) -> int | None:
    value = group["project_id"]
    return value[0] if value else None


def monthly_costs(env: Any, year: int, month: int) -> list[dict[str, Any]]:
    """One row per project with costs in the month or to date: the month's hours, timesheet
    cost, presales and other expense claims and total; the actual to date, budget, remaining."""
    _start, end = month_bounds(year, month)
    label = f"{year}-{month:02d}"
    to_date = [("date", "<=", end.isoformat())]
    rows: dict[int, dict[str, Any]] = {}

    def row(project: int) -> dict[str, Any]:
        return rows.setdefault(project, {"project_id": project, "hours": Decimal(0),
                                         "timesheet_cost": ZERO, "presales_cost": ZERO,
                                         "expense_cost": ZERO, "purchase_cost": ZERO,
                                         "total": ZERO,
                                         "actual_to_date": ZERO, "presales_to_date": ZERO})

    # one GROUP BY project × month per source, up to the month's end
    for group in env["account.analytic.line"].read_group(
            to_date, ["unit_amount:sum", "amount:sum"], ["project_id", "date:month"],
            lazy=False):
        target, cost = row(_key(group)), -money(group["amount"])
        target["actual_to_date"] += cost
        if group["date:month"] == label:
            target["hours"] += Decimal(str(group["unit_amount"] or 0))
            target["timesheet_cost"] += cost
    for group in env["hr.expense"].read_group(
            [("state", "=", "approved"), *to_date], ["total_amount:sum"],
            ["project_id", "category", "date:month"], lazy=False):
        target, amount = row(_key(group)), money(group["total_amount"])
        presales = group["category"] == "presales"
        target["actual_to_date"] += amount
        if presales:
            target["presales_to_date"] += amount
        if group["date:month"] == label:
            target["presales_cost" if presales else "expense_cost"] += amount
    for answer in env.registry.pm.hook.project_cost_lines(env=env, year=year, month=month):
        for item in answer or ():  # purchases charged to projects (project_purchase)
            target = row(item["project_id"])
            target["purchase_cost"] += money(item["month"])
            target["actual_to_date"] += money(item["to_date"])
    rows.pop(None, None)  # type: ignore[call-overload]
    projects = {p["id"]: p for p in env.with_context(active_test=False)[
        "project.project"].search_read([("id", "in", sorted(rows))],
                                       ["name", "code", "budget", "budget_presales"])}
    result = []
    for project_id, values in rows.items():
        project = projects.get(project_id)
        if project is None:  # a project the user may not read
            continue
        values["total"] = values["timesheet_cost"] + values["presales_cost"] + \
            values["expense_cost"] + values["purchase_cost"]
        values.update(name=project["name"], code=project["code"] or "",
                      budget=money(project["budget"]),
                      budget_presales=money(project["budget_presales"]))
        values["remaining"] = values["budget"] - values["actual_to_date"]
        values["over_budget"] = values["remaining"] < 0
        result.append(values)
    result.sort(key=lambda r: (r["code"], r["project_id"]))
    return result


def drill_down(model: str, project_id: int, year: int, month: int,
               extra: tuple[Any, ...] = ()) -> str:
    """The list of the entries behind a figure (the generic list with a drill-down domain)."""
    start, end = month_bounds(year, month)
    domain: list[Any] = [["project_id", "=", project_id], ["date", ">=", start.isoformat()],
                         ["date", "<=", end.isoformat()], *extra]
    if model == "hr.expense":
        domain.append(["state", "=", "approved"])
    return f"/web/{model}?domain={quote(json.dumps(domain, ensure_ascii=False))}"


def links(row: dict[str, Any], year: int, month: int) -> dict[str, str]:
    """Drill-down addresses of a row's figures: timesheets, presales and other claims."""
    pid = row["project_id"]
    return {"hours": drill_down("account.analytic.line", pid, year, month),
            "presales": drill_down("hr.expense", pid, year, month,
                                   (["category", "=", "presales"],)),
            "expenses": drill_down("hr.expense", pid, year, month,
                                   (["category", "!=", "presales"],))}


def may_send(env: Any) -> bool:
    """Whether ``env``'s user may store and send a month (replacing what was sent before): the
    project cost accountant (项目会计), the cost director, administrators and the scheduled job."""
    from .groups import COST_ACCOUNTANT

    return env.access.is_admin or env.access.has_group(COST_ACCOUNTANT)


def store_month(env: Any, year: int, month: int) -> list[dict[str, Any]]:
    """Compute the month as ``env``'s user and keep it as ``project.cost.month`` rows (the
    month's earlier figures are replaced); returns the rows."""
    if not may_send(env):
        raise AccessError(_("Only the project cost accountant (项目会计) or the cost director "
                            "saves and sends the monthly project costs."))
    rows = monthly_costs(env, year, month)
    su = env.sudo()
    start, _end = month_bounds(year, month)
    stored = su["project.cost.month"]
    old = stored.search([("month", "=", start.isoformat())])
    if old:
        stored.unlink(old)
    if rows:
        stored.create([{"project_id": r["project_id"], "month": start, "hours": r["hours"],
                        "timesheet_cost": r["timesheet_cost"],
                        "presales_cost": r["presales_cost"], "expense_cost": r["expense_cost"],
                        "purchase_cost": r["purchase_cost"],
                        "total": r["total"], "actual_to_date": r["actual_to_date"],
                        "budget": r["budget"], "remaining": r["remaining"]} for r in rows])
    return rows


def report_month(env: Any, year: int, month: int) -> list[dict[str, Any]]:
    """Store the month and send its summary to the cost directors and general managers."""
    from core.mail import notify

    from .groups import COST_DIRECTOR, GENERAL_MANAGER

    rows = store_month(env, year, month)
    su = env.sudo()
    recipients: set[int] = set()
    for xmlid in (COST_DIRECTOR, GENERAL_MANAGER):
        group = su.ref_id(xmlid, raise_if_not_found=False)
        if group is not None:
            recipients |= set(su["res.users"].search([("groups_id", "in", [group])]))
    label = f"{year}-{month:02d}"
    total = sum((r["total"] for r in rows), ZERO)
    over = [r["name"] for r in rows if r["over_budget"]]
    details = [_l("%(count)s projects cost %(total)s in %(month)s.", count=len(rows),
                  total=total, month=label)]  # lazy: in each recipient's language
    if over:
        details.append(_l("Over budget: %(projects)s", projects=", ".join(over)))
    if recipients:
        notify(env, sorted(recipients), "reminder",
               {"subject": _l("Project costs of %(month)s", month=label), "details": details},
               url=f"/web/page/projects/costs?month={label}")
    return rows


def monthly_cost_job(env: Any, today: dt.date | None = None) -> int:
    """The scheduled job: report the month that just ended; returns the number of projects."""
    today = today or dt.date.today()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return len(report_month(env, last.year, last.month))
