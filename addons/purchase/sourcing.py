"""From purchase requests to RFQs and orders: what is left to order, comparison sheets, and the
ordered quantities kept on request lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.errors import UserError
from core.i18n import _

from .common import ZERO
from .request import sync_request_lines


def _open_lines(env: Any, requests: list[Any]) -> list[Any]:
    line = env.registry["purchase.request.line"]
    for request in requests:
        if request.state != "approved":
            raise UserError(_("%(name)s is not approved: nothing can be bought for it yet.",
                              name=request.display_name))
    for request in requests:  # the buyer sourcing it takes it over
        if not request.assigned_to and env.uid:
            request.assigned_to = env.uid
    rows = env.session.scalars(select(line).where(
        line.request_id.in_([r.id for r in requests])).order_by(line.request_id, line.id))
    left = [row for row in rows if Decimal(row.product_qty) > Decimal(row.qty_ordered or 0)]
    if not left:
        raise UserError(_("Everything requested is already ordered."))
    return left


def _line_values(lines: list[Any]) -> list[dict[str, Any]]:
    """Order line values for what is left to order of request ``lines``."""
    return [{"product_id": line.product_id, "request_line_id": line.id,
             "product_qty": Decimal(line.product_qty) - Decimal(line.qty_ordered or 0),
             "product_uom": line.product_uom_id, "date_planned": line.date_required}
            for line in lines]


def _order_values(partner_id: int, lines: list[dict[str, Any]], origin: str) -> dict:
    return {"partner_id": partner_id, "origin": origin[:256],
            "order_line": [(0, 0, dict(values)) for values in lines]}


def order_from_requests(env: Any, requests: list[Any], partner_id: int) -> int:
    """An RFQ to ``partner_id`` for what is left to order of ``requests``."""
    lines = _line_values(_open_lines(env, requests))
    origin = ", ".join(r.name for r in requests)
    return env["purchase.order"].create(_order_values(partner_id, lines, origin))


def comparison_from_request(env: Any, request: Any) -> int:
    _open_lines(env, [request])
    return env["purchase.comparison"].create({"request_id": request.id})


def rfqs_for_comparison(env: Any, sheet: Any) -> list[int]:
    """One RFQ per supplier asked that has none yet on the sheet."""
    rel = env.registry["purchase.comparison"].metadata.tables["purchase_comparison_partner_rel"]
    suppliers = list(env.session.scalars(select(rel.c.partner_id).where(
        rel.c.comparison_id == sheet.id).order_by(rel.c.partner_id)))
    if len(suppliers) < 2:
        raise UserError(_("A comparison asks at least two suppliers."))
    order_cls = env.registry["purchase.order"]
    asked = set(env.session.scalars(select(order_cls.partner_id).where(
        order_cls.comparison_id == sheet.id)))
    if sheet.request_id is None:
        raise UserError(_("A comparison sheet needs the purchase request it sources."))
    lines = _line_values(_open_lines(env, [sheet.request]))
    made = []
    for partner_id in suppliers:
        if partner_id in asked:
            continue
        order_id = env["purchase.order"].create(_order_values(partner_id, lines, sheet.name))
        order = env.session.get(order_cls, order_id)
        order.comparison_id = sheet.id
        made.append(order_id)
    refresh_ordered(env, {values["request_line_id"] for values in lines})
    return made


def refresh_ordered(env: Any, request_line_ids: set[int]) -> None:
    """``qty_ordered`` of request lines: their lines on orders neither cancelled nor losing
    quotations (the RFQs of a comparison count once chosen); a request fully ordered is done."""
    if not request_line_ids:
        return
    line, order = env.registry["purchase.order.line"], env.registry["purchase.order"]
    env.session.flush()
    ordered = dict(env.session.execute(
        select(line.request_line_id, func.sum(line.product_qty)).join(
            order, order.id == line.order_id).where(
            line.request_line_id.in_(request_line_ids), order.state != "cancel",
            order.comparison_id.is_(None) | order.winner_reason.is_not(None))
        .group_by(line.request_line_id)).all())
    req_line = env.registry["purchase.request.line"]
    requests = set()
    for record in env.session.scalars(select(req_line).where(req_line.id.in_(request_line_ids))):
        record.qty_ordered = Decimal(str(ordered.get(record.id) or ZERO))
        requests.add(record.request_id)
    env.session.flush()
    request_cls = env.registry["purchase.request"]
    for request in env.session.scalars(select(request_cls).where(request_cls.id.in_(requests))):
        left = env.session.scalar(select(func.count(req_line.id)).where(
            req_line.request_id == request.id, req_line.qty_ordered < req_line.product_qty))
        if request.state == "approved" and not left:
            env.sudo()["purchase.request"].call("action_done", [request.id])
    sync_request_lines(env, list(requests))
