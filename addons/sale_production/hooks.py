"""The sales demand of material planning (``mrp_demand``): each approved sales order line of a
stocked product still to deliver, less what its delivery transfers already reserved, due on the
order's delivery date (else its order date), with the order's number as origin (the
make-to-order key). Approving an order with a make-to-order product starts a planning run in
the background."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from addons.production.units import in_own_unit, unit_aliases
from core.i18n import _, _l
from core.jobs import enqueue
from core.menus import MenuItem
from core.plugins import hookimpl
from core.security import Access, grant
from core.views import Button, ViewExtension


def sales_demand(env: Any, order_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Approved sales order lines (of ``order_ids``, else all) still to deliver, in the
    products' own units (a line in boxes of 10 needs ten times its quantity); two grouped
    queries."""
    reg, session = env.registry, env.session
    line, order = reg["sale.order.line"], reg["sale.order"]
    product, unit, own = unit_aliases(reg)
    where = [order.state == "sale", product.type.in_(("product", "consu"))]
    if order_ids is not None:
        where.append(order.id.in_(order_ids))
    rows = session.execute(select(
        line.product_id, order.id, order.name, order.commitment_date, order.date_order,
        unit.ratio, own.ratio, func.sum(line.product_uom_qty),
        func.sum(line.product_uom_qty - func.coalesce(line.qty_delivered, 0))).join(
        order, order.id == line.order_id).join(product, product.id == line.product_id).join(
        own, own.id == product.uom_id).outerjoin(unit, unit.id == line.product_uom).where(
        *where).group_by(
        line.product_id, order.id, order.name, order.commitment_date, order.date_order,
        unit.ratio, own.ratio)).all()
    left: dict[tuple[int, int], list[Decimal]] = {}
    due: dict[int, tuple[str, Any]] = {}
    for pid, order_id, name, commitment, date, unit_ratio, own_ratio, ordered, qty in rows:
        sums = left.setdefault((pid, order_id), [Decimal(0), Decimal(0)])
        sums[0] += in_own_unit(ordered or 0, unit_ratio, own_ratio)
        sums[1] += in_own_unit(qty or 0, unit_ratio, own_ratio)
        due[order_id] = (name, commitment or date)
    reserved = _reserved_for_orders(env, set(due))
    demand = []
    for (pid, order_id), (ordered, qty) in left.items():
        qty -= reserved.get((order_id, pid), Decimal(0))
        if qty > 0:
            demand.append({"product_id": pid, "qty": qty, "ordered": ordered,
                           "date": due[order_id][1], "origin": due[order_id][0]})
    return demand


def _reserved_for_orders(env: Any, order_ids: set[int]) -> dict[tuple[int, int], Decimal]:
    """What the open transfers of these orders (sale_stock's ``sale_id``) hold reserved."""
    picking, move = env.registry["stock.picking"], env.registry["stock.move"]
    if not order_ids or not hasattr(picking, "sale_id"):
        return {}
    return {(o, p): Decimal(q or 0) for o, p, q in env.session.execute(select(
        picking.sale_id, move.product_id, func.sum(move.reserved_qty)).join(
        picking, picking.id == move.picking_id).where(
        picking.sale_id.in_(order_ids), move.state.not_in(("done", "cancel"))).group_by(
        picking.sale_id, move.product_id))}


@hookimpl
def mrp_demand(env: Any) -> list[dict[str, Any]]:
    return sales_demand(env)


def plan_after_approval(env: Any, order_id: int | None = None) -> None:
    """Job: a material planning run for the demand of newly approved make-to-order sales
    (planning is the company's, not the approver's: it runs with the system's rights; every
    approved order is planned, ``order_id`` is only that of jobs queued by earlier versions)."""
    from addons.production.mrp import scheduled_run

    scheduled_run(env.sudo())


def _made_to_order(env: Any, order_ids: list[int] | None = None) -> bool:
    """Whether approved orders (``order_ids``, else any still open) hold a make-to-order
    product."""
    reg = env.registry
    line, order, product = reg["sale.order.line"], reg["sale.order"], reg["product.product"]
    query = select(line.id).join(product, product.id == line.product_id).where(
        product.produce_to_order.is_(True))
    if order_ids is not None:
        query = query.where(line.order_id.in_(order_ids))
    else:
        query = query.join(order, order.id == line.order_id).where(order.state == "sale")
    return env.session.scalar(query.limit(1)) is not None


def plan_soon(env: Any, order_name: str | None = None) -> None:
    """A planning run in the background once this transaction commits (an installation's
    too: demo data approving orders)."""
    name = (_("Material planning for %(order)s", order=order_name) if order_name
            else _("Material planning"))
    enqueue(env, plan_after_approval, name=name)


@hookimpl
def sale_order_approved(env: Any, order_id: int) -> None:
    """An approved order with a make-to-order product: plan at once (a background job), so
    the planner finds its manufacturing proposal without waiting for the night's run."""
    if _made_to_order(env, [order_id]):
        plan_soon(env, env["sale.order"].read([order_id], ["name"])[0]["name"])


@hookimpl
def addon_installed(env: Any, addon: str) -> None:
    """Orders approved before this glue existed are planned once it is installed."""
    if addon == "sale_production" and _made_to_order(env):
        plan_soon(env)


@hookimpl
def register_models() -> list[type]:
    from .manufacture import SaleOrder

    return [SaleOrder]


@hookimpl
def register_menus() -> list[MenuItem]:
    """The planner's list of approved orders with make-to-order products."""
    return [MenuItem("sale_production.menu_sales_to_make", _l("Sales orders made to order"),
                     "production.menu_planning", 30, url=(
                         '/web/sale.order?domain=[["state", "=", "sale"], '
                         '["order_line.product_id.produce_to_order", "=", true]]'))]


@hookimpl
def register_access() -> list[Access]:
    """Planners and the workshop read the sales orders behind make-to-order work."""
    models = ("sale.order", "sale.order.line")
    return [*grant("sale_production", models, "production.group_planner"),
            *grant("sale_production", models, "production.group_workshop")]


@hookimpl
def register_views() -> list[object]:
    return [ViewExtension("mrp.production", "list", search=("origin",)),
            ViewExtension("sale.order", "form", buttons=(Button(
                "action_manufacture", _l("Manufacture (生产任务单)"),
                ("production.group_planner",), states=("sale",),
                needs=(("mrp.production", "create"),)),))]
