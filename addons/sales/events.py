"""What happens when a sales document changes state.

The workflow engine moves documents (``state`` changes only through it) and the model service
reports each write through the core hook ``record_written``; the handlers below check the business
rules of the move, update the figures it affects and fire the sales hooks (``hookspecs.py``) for
stock and accounting. Whichever door took the transition (a button, RPC, REST, another addon), the
same rules apply; a handler that raises undoes the whole transition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from core.errors import UserError, ValidationError
from core.i18n import _
from core.models import utcnow

from .common import today
from .progress import refresh_orders

Handler = Callable[[Any, Any, str], None]


def _hook(env: Any) -> Any:
    return env.registry.pm.hook


# -- sale.order ------------------------------------------------------------------------------


def _order_approved(env: Any, order: Any, old: str) -> None:
    if old == "done":
        return  # unlocked, not approved again
    order.date_approve = utcnow()
    refresh_orders(env, [order.id])
    _hook(env).sale_order_approved(env=env.sudo(), order_id=order.id)


def _order_back_to_draft(env: Any, order: Any, old: str) -> None:
    if old == "cancel":
        order.cancel_reason = None


def _order_cancelled(env: Any, order: Any, old: str) -> None:
    if not (order.cancel_reason or "").strip():
        raise ValidationError(_("Cancelling %(name)s needs a reason: enter the cancellation "
                                "reason on the order first.", name=order.display_name),
                              field="cancel_reason")
    registry = env.registry
    dnote, inote = registry["sale.delivery.notice"], registry["sale.invoice.notice"]
    started = env.session.scalar(select(dnote.id).where(
        dnote.order_id == order.id, dnote.state.in_(("approved", "done"))).limit(1))
    billed = env.session.scalar(select(inote.id).where(
        inote.order_id == order.id, inote.state != "cancel").limit(1))
    if started or billed or order.amount_collected:
        raise UserError(_("%(name)s cannot be cancelled: goods are on their way or delivered, "
                          "invoiced or paid. Only orders not yet delivered can be cancelled.",
                          name=order.display_name))
    from core.workflow_engine import take_transition

    drafts = env.session.scalars(select(dnote.id).where(dnote.order_id == order.id,
                                                        dnote.state == "draft"))
    for notice_id in list(drafts):
        take_transition(env.sudo(), "sale.delivery.notice", notice_id, "cancel")
    _hook(env).sale_order_cancelled(env=env.sudo(), order_id=order.id)


# -- delivery notices ------------------------------------------------------------------------


def _delivery_approved(env: Any, notice: Any, old: str) -> None:
    line = env.registry["sale.delivery.notice.line"]
    if env.session.scalar(select(line.id).where(line.notice_id == notice.id).limit(1)) is None:
        raise UserError(_("%(name)s has no lines.", name=notice.display_name))
    reference = _hook(env).delivery_notice_approved(env=env.sudo(), notice_id=notice.id)
    if reference:
        notice.shipping_ref = str(reference)[:128]


def _delivery_shipped(env: Any, notice: Any, old: str) -> None:
    if notice.shipping_ref and not getattr(notice, "_by_warehouse", False):
        raise UserError(_("%(name)s is shipped by the warehouse transfer %(ref)s; it completes "
                          "when the warehouse validates it.", name=notice.display_name,
                          ref=notice.shipping_ref))
    notice.date_done = today()
    refresh_orders(env, [notice.order_id])
    _hook(env).delivery_notice_shipped(env=env.sudo(), notice_id=notice.id)


def _notice_cancelled(env: Any, notice: Any, old: str) -> None:
    refresh_orders(env, [notice.order_id])


# -- invoicing notices -----------------------------------------------------------------------


def _invoice_reviewed(env: Any, notice: Any, old: str) -> None:
    if not notice.amount_total:
        raise UserError(_("%(name)s has nothing to invoice.", name=notice.display_name))


def _invoice_sent(env: Any, notice: Any, old: str) -> None:
    reference = _hook(env).invoicing_notice_sent(env=env.sudo(), notice_id=notice.id)
    if reference:
        notice.invoice_ref = str(reference)[:128]


def _invoice_issued(env: Any, notice: Any, old: str) -> None:
    if not (notice.invoice_number or "").strip():
        raise ValidationError(_("Enter the number of the invoice finance issued for %(name)s "
                                "first.", name=notice.display_name), field="invoice_number")
    notice.invoice_date = notice.invoice_date or today()
    order = notice.order
    notice.date_due = notice.invoice_date + dt.timedelta(days=int(order.payment_term_days or 0))
    refresh_orders(env, [notice.order_id])
    _hook(env).invoicing_notice_invoiced(env=env.sudo(), notice_id=notice.id)


# -- collections -----------------------------------------------------------------------------


def _allocated_orders(env: Any, collection: Any) -> list[int]:
    alloc = env.registry["sale.collection.allocation"]
    return list(env.session.scalars(select(alloc.order_id).where(
        alloc.collection_id == collection.id)))


def _collection_posted(env: Any, collection: Any, old: str) -> None:
    collection.check_allocations()
    refresh_orders(env, _allocated_orders(env, collection))
    reference = _hook(env).collection_recorded(env=env.sudo(), collection_id=collection.id)
    if reference:
        collection.receipt_ref = str(reference)[:128]


def _collection_cancelled(env: Any, collection: Any, old: str) -> None:
    if old == "posted":
        refresh_orders(env, _allocated_orders(env, collection))
        _hook(env).collection_cancelled(env=env.sudo(), collection_id=collection.id)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("sale.order", "sale"): _order_approved,
    ("sale.order", "draft"): _order_back_to_draft,
    ("sale.order", "cancel"): _order_cancelled,
    ("sale.delivery.notice", "approved"): _delivery_approved,
    ("sale.delivery.notice", "done"): _delivery_shipped,
    ("sale.delivery.notice", "cancel"): _notice_cancelled,
    ("sale.invoice.notice", "reviewed"): _invoice_reviewed,
    ("sale.invoice.notice", "sent"): _invoice_sent,
    ("sale.invoice.notice", "invoiced"): _invoice_issued,
    ("sale.invoice.notice", "cancel"): _notice_cancelled,
    ("sale.collection", "posted"): _collection_posted,
    ("sale.collection", "cancel"): _collection_cancelled,
}


def state_changed(env: Any, model: str, record_id: int, old: dict[str, Any],
                  new: dict[str, Any]) -> None:
    """Dispatch a state change of a sales document to its handler."""
    if "state" not in new or old.get("state") == new["state"]:
        return
    handler = HANDLERS.get((model, new["state"]))
    if handler is not None:
        record = env.session.get(env.registry[model], record_id)
        handler(env, record, old.get("state"))
