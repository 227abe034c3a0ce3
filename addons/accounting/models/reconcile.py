"""Write-off (核销): matching open debit items with open credit items of the same account and
partner, fully or partly, many to many (``account.partial.reconcile``).

Each match records the amount taken from one debit line and one credit line; a line's
``amount_residual`` is its balance less what has been matched, and it is ``reconciled`` at zero.
An invoice's amount due and payment status are computed fields of its receivable or payable
line (:meth:`.move.Move._compute_payment_state`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import UserError, fields
from core.i18n import _, _l

from .chart import money


class PartialReconcile:
    _name = "account.partial.reconcile"
    _description = _l("Write-off match")
    _order = "id desc"
    _rec_name = "id"

    debit_move_id: Mapped[int] = fields.Many2one("account.move.line", _l("Debit item"),
                                                 required=True, ondelete="CASCADE")
    credit_move_id: Mapped[int] = fields.Many2one("account.move.line", _l("Credit item"),
                                                  required=True, ondelete="CASCADE")
    amount: Mapped[Decimal] = fields.Monetary(_l("Amount"), required=True)
    max_date: Mapped[Any] = fields.Date(_l("Date"), index=True)  # aging at a past date

    @classmethod
    def create(cls, env, vals_list):  # noqa: ANN001, ANN206
        if not env.context.get("account_reconcile"):
            raise UserError(_("Write-offs are made with the reconcile action of journal items "
                              "or payments, not created by hand."))
        return super().create(env, vals_list)

    def unlink(self) -> None:
        """Undo the match: both items get the amount back as residual."""
        debit, credit = self.debit_move, self.credit_move
        amount = money(self.amount)
        super().unlink()
        debit.amount_residual = money(debit.amount_residual) + amount
        credit.amount_residual = money(credit.amount_residual) - amount
        debit.reconciled = credit.reconciled = False
        self.env.session.flush()
        refresh_invoices(self.env, {debit.move_id, credit.move_id})


def _open_lines(env: Any, line_ids: list[int]) -> list[Any]:
    line_cls = env.registry["account.move.line"]
    lines = list(env.session.scalars(select(line_cls).where(line_cls.id.in_(line_ids))))
    if len({(line.account_id, line.partner_id) for line in lines}) > 1:
        raise UserError(_("Only items of the same account and partner can be written off "
                          "against each other."))
    for line in lines:
        if line.parent_state != "posted":
            raise UserError(_("Only posted items can be written off."))
        if not line.account.reconcile:
            raise UserError(_("The account %(account)s does not allow write-off.",
                              account=line.account.complete_name))
    return [line for line in lines if not line.reconciled and money(line.amount_residual)]


def reconcile_lines(env: Any, line_ids: list[int]) -> list[int]:
    """Match the open debits with the open credits among ``line_ids``, oldest first."""
    lines = _open_lines(env, line_ids)
    order = lambda line: (line.date_maturity or line.date, line.id)  # noqa: E731
    debits = sorted((x for x in lines if money(x.amount_residual) > 0), key=order)
    credits = sorted((x for x in lines if money(x.amount_residual) < 0), key=order)
    partials = env.sudo().with_context(account_reconcile=True)["account.partial.reconcile"]
    made = []
    while debits and credits:
        debit, credit = debits[0], credits[0]
        amount = min(money(debit.amount_residual), -money(credit.amount_residual))
        made.append(partials.create({
            "debit_move_id": debit.id, "credit_move_id": credit.id, "amount": amount,
            "max_date": max(debit.date, credit.date)}))
        debit.amount_residual = money(debit.amount_residual) - amount
        credit.amount_residual = money(credit.amount_residual) + amount
        for line, queue in ((debit, debits), (credit, credits)):
            if not money(line.amount_residual):
                line.reconciled = True
                queue.pop(0)
    refresh_invoices(env, {line.move_id for line in lines})
    return made


def refresh_invoices(env: Any, move_ids: set[int]) -> None:
    """The amount not yet written off of the payments whose vouchers are among ``move_ids``;
    the invoices' amounts due and payment statuses are recomputed, for the hooks that follow
    to read them."""
    payment_cls = env.registry["account.payment"]
    for payment in env.session.scalars(select(payment_cls).where(
            payment_cls.move_id.in_(move_ids))):
        payment.amount_unapplied = abs(money(payment.counterpart_line().amount_residual))
    env.flush_all()


RECONCILE_MODELS = [PartialReconcile]
