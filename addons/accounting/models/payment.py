"""Receipts and payments (``account.payment``), each posted as its own voucher and written off
against invoices: one payment against several invoices, or several payments against one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import UserError, ValidationError, constrains, fields, public
from core.i18n import _, _l

from .chart import money

PAYMENT_TYPES = [("inbound", _l("Receive money")), ("outbound", _l("Send money"))]
PARTNER_TYPES = [("customer", _l("Customer")), ("supplier", _l("Vendor"))]
STATES = [("draft", _l("Draft")), ("posted", _l("Posted")), ("cancel", _l("Cancelled"))]


class Payment:
    _name = "account.payment"
    _description = _l("Payment")
    _order = "date desc, id desc"
    _edit_states = ("draft",)
    _unlink_states = ("draft", "cancel")

    name: Mapped[Optional[str]] = fields.Char(_l("Entry number"), size=64, readonly=True)
    payment_type: Mapped[str] = fields.Selection(PAYMENT_TYPES, _l("Payment type"),
                                                 required=True, default="inbound")
    partner_type: Mapped[str] = fields.Selection(PARTNER_TYPES, _l("Partner type"),
                                                 required=True, default="customer")
    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Partner"), required=True)
    amount: Mapped[Decimal] = fields.Monetary(_l("Amount"), required=True)
    date: Mapped[dt.date] = fields.Date(_l("Date"), required=True,
                                        default=lambda env: dt.date.today())
    journal_id: Mapped[int] = fields.Many2one("account.journal", _l("Bank or cash journal"),
                                              required=True)
    ref: Mapped[Optional[str]] = fields.Char(_l("Reference"))
    origin: Mapped[Optional[str]] = fields.Char(_l("Source document"), size=128, index=True)
    state: Mapped[Optional[str]] = fields.Selection(STATES, _l("Status"), default="draft",
                                                    readonly=True)
    move_id: Mapped[Optional[int]] = fields.Many2one("account.move", _l("Journal entry"),
                                                     readonly=True)
    invoice_ids = fields.Many2many("account.move", _l("Invoices to write off"),
                                   relation="account_payment_invoice_rel",
                                   column1="payment_id", column2="invoice_id")
    amount_unapplied: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Not yet written off"), readonly=True)

    def write(self, vals: dict[str, Any]) -> None:
        if self.state != "draft" and set(vals) - {"ref", "invoice_ids"}:
            raise UserError(_("The posted payment %(name)s cannot be changed.", name=self.name))
        if {"state", "move_id", "name", "amount_unapplied"} & set(vals):
            raise ValidationError(_("These fields of a payment are set by posting."))
        super().write(vals)

    def unlink(self) -> None:
        if self.state == "posted":
            raise UserError(_("The posted payment %(name)s cannot be deleted.", name=self.name))
        super().unlink()

    @constrains("amount")
    def _check_amount(self) -> None:
        if money(self.amount) <= 0:
            raise ValidationError(_("A payment amount must be positive."), field="amount")

    @constrains("journal_id")
    def _check_journal(self) -> None:
        if self.journal.type not in ("bank", "cash"):
            raise ValidationError(_("A payment is made through a bank or cash journal."),
                                  field="journal_id")

    def counterpart_line(self) -> Any:
        """The receivable or payable line of the payment's voucher."""
        move = self.move
        return next(line for line in move.lines() if line.account.reconcile)

    @public
    def action_post(self) -> None:
        """Post the payment's voucher (bank/cash against receivable/payable) and write it off
        against the selected invoices, oldest first."""
        if self.state != "draft":
            raise UserError(_("The payment %(name)s is already posted.", name=self.name))
        env = self.env
        journal = self.journal
        if journal.default_account_id is None:
            raise ValidationError(_("The journal %(journal)s has no bank or cash account.",
                                    journal=journal.name))
        partner_account = env.ref_id("accounting.account_1122" if self.partner_type ==
                                     "customer" else "accounting.account_2202")
        amount = money(self.amount)
        inbound = self.payment_type == "inbound"
        moves = env["account.move"]
        label = self.ref or _("Payment")
        move_id = moves.create({
            "journal_id": journal.id, "date": self.date, "partner_id": self.partner_id,
            "ref": label, "origin": self.origin, "line_ids": [
                (0, 0, {"account_id": journal.default_account_id, "name": label,
                        "debit": amount if inbound else 0, "credit": 0 if inbound else amount}),
                (0, 0, {"account_id": partner_account, "name": label,
                        "debit": 0 if inbound else amount, "credit": amount if inbound else 0}),
            ]})
        moves.call("action_post", [move_id])
        self.move_id = move_id
        move = moves.browse_unchecked([move_id])[0]
        self.name = move.name
        self.state = "posted"
        invoices = self._invoices()
        if invoices:
            self.apply_to(invoices)
        self.amount_unapplied = abs(money(self.counterpart_line().amount_residual))
        env.registry.pm.hook.account_payment_posted(env=env, payment=self)

    def _invoices(self) -> list[int]:
        rel = self.env.registry["account.payment"].metadata.tables["account_payment_invoice_rel"]
        return list(self.env.session.scalars(select(rel.c.invoice_id).where(
            rel.c.payment_id == self.id)))

    def apply_to(self, invoice_ids: list[int]) -> list[int]:
        """Write this payment's open amount off against the invoices' open items."""
        from .reconcile import reconcile_lines

        line = self.counterpart_line()
        line_cls = self.env.registry["account.move.line"]
        open_items = list(self.env.session.scalars(select(line_cls.id).where(
            line_cls.move_id.in_(invoice_ids), line_cls.display_type == "payment_term",
            line_cls.reconciled.is_(False), line_cls.parent_state == "posted")))
        if not open_items:
            raise UserError(_("The selected invoices have nothing left to write off."))
        made = reconcile_lines(self.env, [line.id, *open_items])
        self.amount_unapplied = abs(money(line.amount_residual))
        return made

    @public
    def action_reconcile(self, invoice_ids: list[int]) -> list[int]:
        """Write the payment's remaining amount off against more invoices (往来核销)."""
        if self.state != "posted":
            raise UserError(_("Post the payment before writing it off."))
        self.env["account.move"]._check_ids([int(i) for i in invoice_ids], "read")
        made = self.apply_to([int(i) for i in invoice_ids])
        self.env.registry.pm.hook.account_payment_reconciled(env=self.env, payment=self)
        return made


PAYMENT_MODELS = [Payment]
