"""Purchase's answers to material planning: the suppliers' lead times, the supply on its way
that is not a stock move yet (open purchase requests not ordered, RFQs not approved), and the
purchase requests (请购单, origin *material planning*) made from confirmed proposals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.i18n import _
from core.plugins import hookimpl
from core.security import Access, grant

OPEN_REQUESTS = ("draft", "to_approve", "approved")
OPEN_ORDERS = ("draft", "sent", "to_approve")


@hookimpl
def mrp_purchase_lead_days(env: Any, product_ids: list[int]) -> dict[int, int]:
    """The shortest supplier lead time of each product (one GROUP BY)."""
    info = env.registry["product.supplierinfo"]
    if not product_ids:
        return {}
    return {p: int(d or 0) for p, d in env.session.execute(select(
        info.product_id, func.min(info.delay)).where(info.product_id.in_(product_ids))
        .group_by(info.product_id))}


@hookimpl
def mrp_incoming(env: Any) -> dict[int, Decimal]:
    """Open requests' quantities not ordered yet plus RFQ lines not approved yet."""
    reg, session = env.registry, env.session
    req, po, line = reg["purchase.request.line"], reg["purchase.order"], reg[
        "purchase.order.line"]
    supply: dict[int, Decimal] = {}
    for pid, qty in session.execute(select(req.product_id, func.sum(
            req.product_qty - func.coalesce(req.qty_ordered, 0))).where(
            req.request_state.in_(OPEN_REQUESTS)).group_by(req.product_id)):
        supply[pid] = supply.get(pid, Decimal(0)) + max(Decimal(qty or 0), Decimal(0))
    for pid, qty in session.execute(select(line.product_id, func.sum(line.product_qty)).join(
            po, po.id == line.order_id).where(po.state.in_(OPEN_ORDERS)).group_by(
            line.product_id)):
        supply[pid] = supply.get(pid, Decimal(0)) + Decimal(qty or 0)
    return supply


@hookimpl
def mrp_purchase_proposals(env: Any, needs: list[dict[str, Any]]) -> str:
    """One purchase request, submitted for approval, for the confirmed purchase proposals."""
    request_id = env["purchase.request"].create_from_needs(
        needs, origin="planning", description=_("Material requirements planning"))
    return f"purchase.request,{request_id}" if request_id else "purchase.request"


@hookimpl
def register_access() -> list[Access]:
    """Planners read the purchase requests they cause."""
    return grant("production_purchase", ("purchase.request", "purchase.request.line"),
                 "production.group_planner")
