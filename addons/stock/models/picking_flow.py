"""The stock work behind each transition of a transfer: its workflow callbacks.

The workflow engine runs ``_before_<transition>`` (checks, nothing written yet) and
``_after_<transition>`` (the transfer has just reached its new state) whichever door the user took:
the transfer's own methods, the workflow buttons of the web UI (form header, list bulk action),
RPC or REST (see ``docs/workflows.md``). :class:`PickingFlow` is a base of the transfer model;
raising in a callback refuses the transition and undoes everything.
"""

from __future__ import annotations

from typing import Any

from core import SUPERUSER_ID
from core.errors import AccessError, UserError, ValidationError
from core.i18n import _
from core.models import utcnow
from core.workflow import TransitionContext

from . import operations

OPEN = ("draft", "confirmed", "assigned")


class PickingFlow:
    """The transition callbacks of ``stock.picking``."""

    def _before_confirm(self: Any, ctx: TransitionContext) -> None:
        self._check_moves()

    def _after_confirm(self: Any, ctx: TransitionContext) -> None:
        """Mark as to do, then reserve what is available."""
        self._confirm_moves()
        operations.assign(self.env.sudo(), self.active_moves())
        self._sync_reservation_state()

    def _before_validate(self: Any, ctx: TransitionContext) -> None:
        self._check_moves()

    def _after_validate(self: Any, ctx: TransitionContext) -> None:
        """One step: the processed quantities move; the rest goes to a backorder (or is
        cancelled with the option ``backorder=False``)."""
        self._confirm_moves()
        moves = self._split_for_processing(ctx.options.get("backorder", True))
        operations.done(self.env.sudo(), moves)
        self._finish()

    def _before_first_approval(self: Any, ctx: TransitionContext) -> None:
        _check_origin(self)
        self._check_moves()

    def _after_first_approval(self: Any, ctx: TransitionContext) -> None:
        _first_approval(self)

    def _before_second_approval(self: Any, ctx: TransitionContext) -> None:
        env = self.env
        if env.uid == self.first_approval_uid and env.uid != SUPERUSER_ID:
            raise AccessError(_("The second approval (二审) of %(name)s must come from another "
                                "person than the first (一审).", name=self.name))

    def _after_second_approval(self: Any, ctx: TransitionContext) -> None:
        _second_approval(self)
        self._finish()

    def _before_refuse_inspection(self: Any, ctx: TransitionContext) -> None:
        if not (ctx.comment or "").strip():
            raise ValidationError(_("A refusal needs a reason."), field="reason")

    def _after_refuse_inspection(self: Any, ctx: TransitionContext) -> None:
        self.first_approval_uid = None  # refused at inspection: the keeper approves again
        self.first_approval_date = None

    def _after_cancel(self: Any, ctx: TransitionContext) -> None:
        """Give the reservations back; the open moves are cancelled."""
        moves = self.active_moves()
        operations.unreserve(self.env.sudo(), moves)
        for move in moves:
            move.state = "cancel"


def _check_origin(picking: Any) -> None:
    """一审 needs a two-step type and, where the type asks, an approved order behind it."""
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


def _first_approval(picking: Any) -> None:
    """一审: the goods are reserved in full (or the approval is refused) and leave."""
    env = picking.env
    picking._confirm_moves()
    moves = picking._split_for_processing(backorder=True)
    operations.assign(env.sudo(), moves, strict=True)
    picking.first_approval_uid = env.uid
    picking.first_approval_date = utcnow()


def _second_approval(picking: Any) -> None:
    """二审: the reserved goods move. ``picking.env`` is the engine's (sudo) environment of the
    acting user."""
    env = picking.env
    operations.done(env.sudo(), picking._check_moves())
    picking.second_approval_uid = env.uid
    picking.second_approval_date = utcnow()
