"""The stock work behind each state change of a transfer.

The workflow engine changes a transfer's state (``confirm``, ``validate``, ``first_approval``,
``second_approval``, ``refuse_inspection``, ``cancel``) whichever door the user took: the
transfer's own methods, the workflow buttons of the web UI, RPC or REST. ``Picking.write`` calls
:func:`before_state_change` before the new state is stored (raising refuses the transition and
undoes everything) and :func:`after_state_change` after it.
"""

from __future__ import annotations

from typing import Any

from core import SUPERUSER_ID
from core.errors import AccessError, UserError
from core.i18n import _
from core.models import utcnow

from . import operations

OPEN = ("draft", "confirmed", "assigned")


def before_state_change(picking: Any, old: str, new: str) -> None:
    """Check and do what the transition ``old`` → ``new`` means for the stock."""
    if new == "confirmed" and old == "draft":
        picking._check_moves()
        picking._confirm_moves()
    elif new == "approved" and old in OPEN:
        _first_approval(picking)
    elif new == "done" and old == "approved":
        _second_approval(picking)
    elif new == "done" and old in OPEN:
        picking._check_moves()
        picking._confirm_moves()
        moves = picking._split_for_processing(getattr(picking, "_backorder", True))
        operations.done(picking.env.sudo(), moves)
    elif new == "assigned" and old == "approved":
        picking.first_approval_uid = None  # refused at inspection: the keeper approves again
        picking.first_approval_date = None
    elif new == "cancel":
        moves = picking.active_moves()
        operations.unreserve(picking.env.sudo(), moves)
        for move in moves:
            move.state = "cancel"


def after_state_change(picking: Any, old: str, new: str) -> None:
    """Reserve after confirmation; finish a done transfer (date, ``stock_picking_done``)."""
    if new == "confirmed" and old == "draft":
        operations.assign(picking.env.sudo(), picking.active_moves())
        picking._sync_reservation_state()
    elif new == "done":
        picking._finish()


def _first_approval(picking: Any) -> None:
    """一审: an approved order behind the transfer, then the goods reserved in full."""
    env = picking.env
    if not picking.picking_type.two_step_approval:
        raise UserError(_("%(name)s is validated in one step.", name=picking.name))
    if picking.picking_type.require_origin:
        answer = env.registry.pm.hook.stock_picking_origin_approved(env=env.sudo(),
                                                                    picking=picking)
        if not answer:
            raise UserError(_("%(name)s has no approved sales order or contract behind it: "
                              "goods may leave only for a signed contract or an approved "
                              "order.", name=picking.name))
    picking._check_moves()
    picking._confirm_moves()
    moves = picking._split_for_processing(backorder=True)
    operations.assign(env.sudo(), moves, strict=True)
    picking.first_approval_uid = env.uid
    picking.first_approval_date = utcnow()


def _second_approval(picking: Any) -> None:
    """二审: another person than the first approver (the technical superuser excepted); the
    reserved goods move. ``picking.env`` is the engine's (sudo) environment of the acting
    user."""
    env = picking.env
    if env.uid == picking.first_approval_uid and env.uid != SUPERUSER_ID:
        raise AccessError(_("The second approval (二审) of %(name)s must come from another "
                            "person than the first (一审).", name=picking.name))
    operations.done(env.sudo(), picking._check_moves())
    picking.second_approval_uid = env.uid
    picking.second_approval_date = utcnow()
