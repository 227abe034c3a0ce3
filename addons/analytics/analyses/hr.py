"""HR analyses: headcount by department and status, by post, and hires by year."""

from __future__ import annotations

from core.i18n import _l

from ..declare import Analysis, Tile

EMPLOYEE = "hr.employee"
ON_STAFF = (("state", "!=", "resigned"),)

ITEMS = [
    Analysis("analytics.hr_headcount", _l("Headcount by department"), EMPLOYEE,
             rows=("department_id",), cols=("state",), measures=("__count",)),
    Analysis("analytics.hr_by_post", _l("Headcount by post"), EMPLOYEE, rows=("job_id",),
             measures=("__count",), domain=ON_STAFF, kind="graph", chart="bar"),
    Analysis("analytics.hr_hires", _l("Hires by year"), EMPLOYEE,
             rows=("entry_date:year",), cols=("department_id",), measures=("__count",)),
    Tile("analytics.tile_hr_headcount", _l("Headcount"), EMPLOYEE, domain=ON_STAFF,
         analysis="analytics.hr_headcount"),
]
