"""Project analyses: hours and their cost by project and month, expense claims by project and
category, projects by state."""

from __future__ import annotations

from core.i18n import _l

from ..declare import Analysis, Dashboard, Tile

HOURS, CLAIMS = "account.analytic.line", "hr.expense"
APPROVED = (("state", "=", "approved"),)

ITEMS = [
    Analysis("analytics.project_hours", _l("Project hours by month"), HOURS,
             rows=("project_id", "employee_id"), cols=("date:month",),
             measures=("unit_amount:sum", "amount:sum"), date_field="date", period="this_year"),
    Analysis("analytics.project_expenses", _l("Expense claims by project"), CLAIMS,
             rows=("project_id",), cols=("category",), measures=("total_amount:sum",),
             domain=APPROVED),
    Analysis("analytics.project_states", _l("Projects by state"), "project.project",
             rows=("state",), measures=("__count",), kind="graph", chart="pie"),
    Tile("analytics.tile_project_hours", _l("Project hours"), HOURS, measure="unit_amount:sum",
         date_field="date", analysis="analytics.project_hours"),
    Dashboard("analytics.dashboard_general", _l("General manager"),
              tiles=("analytics.tile_project_hours",)),
]
