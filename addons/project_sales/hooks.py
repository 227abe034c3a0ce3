"""The glue's registrations: the project of sales orders (found from their contract or
opportunity), smart buttons between orders, projects and initiation requests, the invoiced
revenue of projects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l
from core.plugins import hookimpl
from core.security import Rule
from core.views import Related, ViewExtension

ASSISTANT = "sales.group_assistant"
#: order states whose amounts are the project's (ordered, confirmed)
CONFIRMED = ("sale", "done")


class SaleOrderProject:
    _inherit = "sale.order"

    project_id: Mapped[Optional[int]] = fields.Many2one(
        "project.project", _l("Project"), index=True, ondelete="RESTRICT")

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            if not vals.get("project_id"):
                project_id = _project_of_order(env, cls, vals)
                if project_id:
                    vals["project_id"] = project_id
        return super().create(env, vals_list)

    @constrains("project_id", "partner_id")
    def _check_project(self) -> None:
        """The project is the order's customer's and still open."""
        if not self.project_id:
            return
        project = self.env.session.get(self.env.registry["project.project"], self.project_id)
        if project.partner_id and project.partner_id != self.partner_id:
            raise ValidationError(_("The project %(name)s is another customer's.",
                                    name=project.display_name), field="project_id")
        if project.state in ("done", "cancel"):
            raise ValidationError(_("The project %(name)s is closed: no more orders for it.",
                                    name=project.display_name), field="project_id")


def _project_of_order(env: Any, order_cls: Any, vals: dict[str, Any]) -> int | None:
    """The open project of a new order's contract, else of its opportunity — when orders name
    them (``sale_crm``) and projects do too (``project_crm``); None otherwise."""
    project = env.registry["project.project"]
    for name in ("contract_id", "opportunity_id"):
        if vals.get(name) and name in order_cls.__fields__ and name in project.__fields__:
            found = env.session.scalar(select(project.id).where(
                getattr(project, name) == vals[name], project.partner_id == vals.get(
                    "partner_id"), project.state.not_in(("done", "cancel")))
                .order_by(project.id).limit(1))
            if found:
                return found
    return None


@hookimpl
def register_models() -> list[type]:
    return [SaleOrderProject]


@hookimpl
def register_rules() -> list[Rule]:
    # the sales assistant enters orders for projects: they read every project (not its documents)
    return [Rule("project_sales.rule_project_project_assistants",
                 _l("Projects: sales assistants read every project (to name it on orders)"),
                 "project.project", "[(1, '=', 1)]", groups=(ASSISTANT,),
                 read=True, write=False, create=False, unlink=False)]


@hookimpl
def register_views() -> list[Any]:
    orders = Related("project_id", _l("Sales orders"), model="sale.order")
    return [ViewExtension("sale.order", "form", add=("project_id",), after="partner_id",
                          related=(Related("project_id"),)),
            ViewExtension("sale.order", "list", search=("project_id",)),
            # both ways: the project's orders, and those of an initiation request's project
            ViewExtension("project.project", "form", related=(orders,)),
            ViewExtension("project.initiation", "form", related=(
                Related("project_id.initiation_id", _l("Sales orders"), model="sale.order"),))]


@hookimpl
def project_profitability(env: Any, project_ids: list[int]) -> list[dict[str, Any]]:
    """What was invoiced on each project's orders, untaxed: the invoicing notices marked
    invoiced (with accounting, when their customer invoice is posted), and what the confirmed
    orders still have to invoice. One GROUP BY each, as superuser (the figures of projects
    the reader may read)."""
    registry = env.registry
    order, notice = registry["sale.order"], registry["sale.invoice.notice"]
    session = env.session
    invoiced = dict(session.execute(
        select(order.project_id, func.sum(notice.amount_untaxed))
        .join(order, order.id == notice.order_id)
        .where(order.project_id.in_(project_ids), notice.state == "invoiced")
        .group_by(order.project_id)).all())
    ordered = dict(session.execute(
        select(order.project_id, func.sum(order.amount_untaxed))
        .where(order.project_id.in_(project_ids), order.state.in_(CONFIRMED))
        .group_by(order.project_id)).all())
    items = []
    for project_id in sorted(set(invoiced) | set(ordered)):
        done = Decimal(str(invoiced.get(project_id) or 0))
        items.append({"project_id": project_id, "section": "revenue", "key": "invoiced",
                      "label": _("Invoiced"), "amount": done})
        rest = Decimal(str(ordered.get(project_id) or 0)) - done
        if rest > 0:
            items.append({"project_id": project_id, "section": "revenue", "key": "to_invoice",
                          "label": _("To invoice"), "amount": rest, "expected": True})
    return items
