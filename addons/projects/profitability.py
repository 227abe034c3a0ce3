"""Project profitability (Odoo's profitability panel): per project, the revenue (invoiced on its
sales orders, from ``project_sales``), the costs (timesheets at the employees' hourly cost,
approved presales and other expense claims, purchases charged to it from ``project_purchase``)
and the margin.

Aggregated in SQL for any number of projects: one search of the projects the user may read,
one GROUP BY per source (timesheets, claims here; each glue addon's through the
``project_profitability`` hook). The project's form shows it as a section to the posts that
read project finances and to its manager; the page Projects › Project profitability is the
analysis of every project for 项目管理部 and the cost director.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.i18n import _
from core.money import money

from .groups import FINANCE, OFFICE, SALES_DIRECTOR

ZERO = Decimal("0.00")
#: posts that read the profitability of every project (and the page); a project's manager
#: reads their own project's
READERS = (OFFICE, FINANCE, SALES_DIRECTOR)


def may_read(env: Any) -> bool:
    """Whether ``env``'s user reads the profitability of every project they may read."""
    return env.access.is_admin or any(env.access.has_group(g) for g in READERS)


def _own_items(env: Any, project_ids: list[int]) -> list[dict[str, Any]]:
    """Timesheet costs and approved expense claims of the projects: one GROUP BY each."""
    registry, session = env.registry, env.session
    line, claim = registry["account.analytic.line"], registry["hr.expense"]
    items = [{"project_id": project_id, "section": "cost", "key": "timesheets",
              "label": _("Timesheet cost"), "amount": -money(amount)}
             for project_id, amount in session.execute(
                 select(line.project_id, func.sum(line.amount))
                 .where(line.project_id.in_(project_ids)).group_by(line.project_id))]
    labels = {"presales": _("Presales expenses"), "other": _("Other expense claims")}
    presales = (claim.category == "presales").label("presales")
    for project_id, is_presales, amount in session.execute(
            select(claim.project_id, presales, func.sum(claim.total_amount))
            .where(claim.project_id.in_(project_ids), claim.state == "approved")
            .group_by(claim.project_id, presales)):
        key = "presales" if is_presales else "other"
        items.append({"project_id": project_id, "section": "cost", "key": key,
                      "label": labels[key], "amount": money(amount)})
    return items


def profitability(env: Any, domain: list[Any] | None = None) -> list[dict[str, Any]]:
    """One row per project of ``domain`` the user may read: ``revenues`` and ``costs`` (lists
    of ``{"key", "label", "amount", "expected"}``), ``revenue``, ``cost``, ``margin``,
    ``margin_rate`` (percent of the revenue, None without revenue) and ``expected`` (revenue
    not yet invoiced), with the project's ``id``, ``code``, ``name``, ``partner_id`` and
    ``state``."""
    projects = env["project.project"].search_read(
        domain or [], ["code", "name", "partner_id", "user_id", "state"])
    if not projects:
        return []
    ids = [p["id"] for p in projects]
    su = env.sudo()
    items = _own_items(su, ids)
    for answer in env.registry.pm.hook.project_profitability(env=su, project_ids=ids):
        items.extend(answer or ())
    rows = {p["id"]: {**p, "revenues": [], "costs": [], "revenue": ZERO, "cost": ZERO,
                      "expected": ZERO} for p in projects}
    for item in items:
        row = rows.get(item["project_id"])
        if row is None:
            continue
        amount, expected = money(item["amount"]), bool(item.get("expected"))
        revenue = item["section"] == "revenue"
        row["revenues" if revenue else "costs"].append(
            {"key": item["key"], "label": item["label"], "amount": amount,
             "expected": expected})
        if expected:
            row["expected"] += amount if revenue else -amount
        elif revenue:
            row["revenue"] += amount
        else:
            row["cost"] += amount
    for row in rows.values():
        row["margin"] = row["revenue"] - row["cost"]
        row["margin_rate"] = (row["margin"] * 100 / row["revenue"]).quantize(Decimal("0.1")) \
            if row["revenue"] else None
    return [rows[i] for i in ids]


def cost_keys(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The kinds of cost found in ``rows``, in the order met: ``[(key, label)]``."""
    seen: dict[str, str] = {}
    for row in rows:
        for item in row["costs"]:
            if not item["expected"]:
                seen.setdefault(item["key"], item["label"])
    return list(seen.items())


def project_section(env: Any, project_id: int) -> Any:
    """The profitability of one project as a form section (revenue lines, cost lines as
    negative amounts, the margin), for the readers of project finances and its manager."""
    from core.sections import FormSection
    from core.web.cells import formatter

    rows = profitability(env, [("id", "=", project_id)])
    if not rows or not (may_read(env) or (rows[0]["user_id"] or [None])[0] == env.uid):
        return None
    row = rows[0]
    money = formatter(env.registry["project.project"].__fields__["budget"])
    lines = [(_("Revenue"), item["label"] + (" " + _("(expected)") if item["expected"] else ""),
              money(item["amount"])) for item in row["revenues"]]
    lines += [(_("Costs"), item["label"], money(-item["amount"])) for item in row["costs"]]
    if not lines:
        lines = [(_("Revenue"), _("Nothing invoiced or spent yet"), money(ZERO))]
    rate = f" ({row['margin_rate']}%)" if row["margin_rate"] is not None else ""
    return FormSection("profitability", _("Profitability"),
                       (_("Type"), _("Detail"), _("Amount")), tuple(lines), numeric=(2,),
                       footer=(_("Margin"), "", money(row["margin"]) + rate))
