"""The glue's registrations: the project on purchase orders, and its answer to projects'
``project_cost_lines``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l
from core.plugins import hookimpl
from core.views import ViewExtension

#: purchase order states whose amounts are costs of the project
APPROVED = ("purchase", "done")


class PurchaseOrderProject:
    _inherit = "purchase.order"

    project_id: Mapped[Optional[int]] = fields.Many2one(
        "project.project", _l("Charged to project"), index=True, ondelete="RESTRICT")

    @constrains("project_id")
    def _check_project_open(self):
        if self.project_id:
            state = self.env.sudo()["project.project"].read([self.project_id], ["state"])[0]
            if state["state"] in ("done", "cancel"):
                raise ValidationError(_("The project is closed: nothing more is charged to it."),
                                      field="project_id")


@hookimpl
def register_models() -> list[type]:
    return [PurchaseOrderProject]


@hookimpl
def register_rules() -> list:
    from core.security import Rule

    # a buyer charges orders to projects: they read every project (not its documents)
    return [Rule("project_purchase.rule_project_project_buyers",
                 _l("Projects: buyers read every project (to charge purchases to it)"),
                 "project.project", "[(1, '=', 1)]", groups=("purchase.group_user",),
                 read=True, write=False, create=False, unlink=False)]


@hookimpl
def register_views() -> list:
    return [ViewExtension("purchase.order", "form", add=("project_id",), after="partner_id"),
            ViewExtension("purchase.order", "list", add=("project_id",), after="partner_id",
                          search=("project_id",))]


@hookimpl
def project_cost_lines(env: Any, year: int, month: int) -> list[dict[str, Any]]:
    """Approved purchase orders charged to projects, untaxed, by project and order month up to
    the month's end: one GROUP BY. Read as superuser (财务部 need not be a buyer); the cost report
    leaves out the projects its reader may not read."""
    from addons.projects.costs import month_bounds

    _start, end = month_bounds(year, month)
    label = f"{year}-{month:02d}"
    totals: dict[int, dict[str, Any]] = {}
    for group in env.sudo()["purchase.order"].read_group(
            [("state", "in", APPROVED), ("project_id", "!=", False),
             ("date_order", "<=", end.isoformat())],
            ["amount_untaxed:sum"], ["project_id", "date_order:month"], lazy=False):
        amount = Decimal(str(group["amount_untaxed"] or 0))
        item = totals.setdefault(group["project_id"][0], {
            "project_id": group["project_id"][0], "month": Decimal(0), "to_date": Decimal(0)})
        item["to_date"] += amount
        if group["date_order:month"] == label:
            item["month"] += amount
    return list(totals.values())


@hookimpl
def project_profitability(env: Any, project_ids: list[int]) -> list[dict[str, Any]]:
    """Approved purchase orders charged to the projects, untaxed: one GROUP BY."""
    return [{"project_id": group["project_id"][0], "section": "cost", "key": "purchases",
             "label": _("Purchases"), "amount": Decimal(str(group["amount_untaxed"] or 0))}
            for group in env.sudo()["purchase.order"].read_group(
                [("state", "in", APPROVED), ("project_id", "in", project_ids)],
                ["amount_untaxed:sum"], ["project_id"], lazy=False)]
