"""Vouchers and invoices (``account.move``): draft, posted (immutable), cancelled.

A voucher (记账凭证) is a move of type ``entry`` whose lines the user enters; an invoice or a
credit note (``out_invoice``, ``in_invoice``, ``out_refund``, ``in_refund``) has product lines
from which posting derives the tax lines and the receivable or payable line. Posting refuses an
unbalanced move and a date in a closed period, and numbers the move gap-free per journal and
period. Posted moves never change; a reversal corrects them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import UserError, ValidationError, depends, fields, public
from core.children import children
from core.i18n import _, _l
from core.translate import catalog, msgid, translate

from .chart import money

MOVE_TYPES = [
    ("entry", _l("Journal voucher")),
    ("out_invoice", _l("Customer invoice")),
    ("out_refund", _l("Customer credit note")),
    ("in_invoice", _l("Vendor bill")),
    ("in_refund", _l("Vendor credit note")),
]
INVOICE_TYPES = ("out_invoice", "out_refund", "in_invoice", "in_refund")
#: what a draft without a number is called, by ``move_type`` (Odoo's "Draft Invoice (* 12)")
DRAFT_KINDS = {"out_invoice": _l("Draft invoice"), "out_refund": _l("Draft credit note"),
               "in_invoice": _l("Draft bill"), "in_refund": _l("Draft vendor credit note"),
               "entry": _l("Draft entry")}
MOVE_STATES = [("draft", _l("Draft")), ("posted", _l("Posted")), ("cancel", _l("Cancelled"))]
PAYMENT_STATES = [("not_paid", _l("Not paid")), ("partial", _l("Partially paid")),
                  ("paid", _l("Paid")), ("reversed", _l("Reversed"))]
#: fields only the system sets (posting, write-off, reversal; the computed amounts are refused
#: by the model service)
SYSTEM_FIELDS = {"state", "name", "sequence_number", "period_id", "reversed_entry_id",
                 "is_closing"}


class Move:
    _name = "account.move"
    _description = _l("Journal entry")
    _order = "date desc, id desc"
    _edit_states = ("draft",)  # a posted or cancelled entry changes only by a reversal
    #: pickers (an invoice on a receipt) find an entry by number, customer, reference or source
    #: document (the invoicing notice's number)
    _rec_names_search = ("name", "partner_id", "ref", "origin")
    _unlink_states = ("draft", "cancel")
    _display_fields = ("move_type",)

    @classmethod
    def _display_name_of(cls, env: Any, rid: int, values: dict[str, Any]) -> str | None:
        """A move without a number ("/" until posted): its kind and id, ``草稿发票 (* 12)``."""
        if values.get("name") not in (None, "", "/"):
            return None
        kind = DRAFT_KINDS.get(values.get("move_type") or "", DRAFT_KINDS["entry"])
        return f"{translate(catalog(env.lang), msgid(kind))} (* {rid})"

    name: Mapped[Optional[str]] = fields.Char(_l("Entry number"), size=64, default="/", index=True,
                                              readonly=True)
    ref: Mapped[Optional[str]] = fields.Char(_l("Reference"))
    origin: Mapped[Optional[str]] = fields.Char(_l("Source document"), size=128, index=True)
    date: Mapped[dt.date] = fields.Date(_l("Date"), required=True, index=True,
                                        default=lambda env: dt.date.today())
    journal_id: Mapped[int] = fields.Many2one("account.journal", _l("Journal"), required=True)
    period_id: Mapped[Optional[int]] = fields.Many2one("account.period", _l("Period"),
                                                       readonly=True)
    sequence_number: Mapped[Optional[int]] = fields.Integer(_l("Sequence number"),
                                                            readonly=True)
    move_type: Mapped[str] = fields.Selection(MOVE_TYPES, _l("Type"), default="entry",
                                              required=True, index=True)
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Partner"))
    state: Mapped[Optional[str]] = fields.Selection(MOVE_STATES, _l("Status"), default="draft",
                                                    index=True, readonly=True)
    invoice_date_due: Mapped[Optional[dt.date]] = fields.Date(_l("Maturity date"))
    narration: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    line_ids = fields.One2many("account.move.line", "move_id", _l("Journal lines"))
    amount_untaxed: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Untaxed amount"), compute="_compute_amounts", store=True)
    amount_tax: Mapped[Optional[Decimal]] = fields.Monetary(_l("Tax"), compute="_compute_amounts",
                                                            store=True)
    amount_total: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Total incl. tax"), compute="_compute_amounts", store=True)
    amount_residual: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Amount still due"), compute="_compute_payment_state", store=True)
    payment_state: Mapped[Optional[str]] = fields.Selection(
        PAYMENT_STATES, _l("Payment status"), compute="_compute_payment_state", store=True)
    reversed_entry_id: Mapped[Optional[int]] = fields.Many2one("account.move",
                                                               _l("Reversal of"), readonly=True)
    reversal_ids = fields.One2many("account.move", "reversed_entry_id", _l("Reversals"))
    is_closing: Mapped[bool] = fields.Boolean(_l("Closing entry"), readonly=True)

    # -- guards -----------------------------------------------------------------------------

    @classmethod
    def create(cls, env, vals_list):  # noqa: ANN001, ANN206
        for vals in vals_list:
            wrong = SYSTEM_FIELDS.intersection(k for k, v in vals.items()
                                               if v not in (None, False, "/", "draft"))
            if wrong:
                raise ValidationError(_("%(fields)s of a journal entry are set by posting.",
                                        fields=", ".join(sorted(wrong))))
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        if self.state != "draft":
            raise UserError(_("The journal entry %(name)s is posted or cancelled and cannot be "
                              "changed; reverse it instead.", name=self.name))
        wrong = SYSTEM_FIELDS.intersection(vals)
        if wrong:
            raise ValidationError(_("%(fields)s of a journal entry are set by posting.",
                                    fields=", ".join(sorted(wrong))))
        super().write(vals)
        if "partner_id" in vals:
            for line in self.lines():
                line.partner_id = line.partner_id or self.partner_id

    def unlink(self) -> None:
        if self.state == "posted":
            raise UserError(_("The posted journal entry %(name)s cannot be deleted; reverse it "
                              "instead.", name=self.name))
        super().unlink()

    # -- helpers ----------------------------------------------------------------------------

    @property
    def is_invoice(self) -> bool:
        return self.move_type in INVOICE_TYPES

    @property
    def direction(self) -> int:
        """+1 when the partner owes us (customer invoice, vendor refund), -1 otherwise."""
        return 1 if self.move_type in ("out_invoice", "in_refund") else -1

    def lines(self, display_type: str | None = "*") -> list[Any]:
        """This move's lines (ORM records, in id order), all of them or those of one
        ``display_type`` (read once per transaction while they stay the same:
        :func:`core.children.children`)."""
        lines = children(self.env, "account.move.line", "move_id", self.id,
                         membership=("display_type",))
        if display_type == "*":
            return lines
        return [line for line in lines if line.display_type == display_type]

    @depends("move_type", "line_ids.display_type", "line_ids.price_subtotal",
             "line_ids.price_total", "line_ids.debit")
    def _compute_amounts(self) -> None:
        """Untaxed, tax and total amounts (invoices: of the product lines; vouchers: the
        debits)."""
        lines = self.line_ids
        if self.is_invoice:
            products = [line for line in lines if line.display_type == "product"]
            untaxed = sum((money(line.price_subtotal) for line in products), Decimal(0))
            total = sum((money(line.price_total) for line in products), Decimal(0))
            self.amount_untaxed, self.amount_tax, self.amount_total = (
                untaxed, total - untaxed, total)
        else:
            total = sum((money(line.debit) for line in lines), Decimal(0))
            self.amount_untaxed, self.amount_tax, self.amount_total = total, Decimal(0), total

    @depends("move_type", "state", "line_ids.display_type", "line_ids.balance",
             "line_ids.amount_residual", "reversal_ids.state")
    def _compute_payment_state(self) -> None:
        """A posted invoice's amount due (what its receivable or payable items still have open,
        out of their total) and payment status: reversed once a posted reversal wrote it off,
        else paid, partly paid or not paid. None for other entries."""
        if not self.is_invoice or self.state != "posted":
            self.amount_residual = self.payment_state = None
            return
        items = [line for line in self.line_ids if line.display_type == "payment_term"]
        due = sum((abs(money(line.amount_residual)) for line in items), Decimal(0))
        total = sum((abs(money(line.balance)) for line in items), Decimal(0))
        self.amount_residual = due
        if due == 0 and any(reversal.state == "posted" for reversal in self.reversal_ids):
            self.payment_state = "reversed"
        else:
            self.payment_state = "paid" if due == 0 else (
                "partial" if due < total else "not_paid")

    # -- actions ----------------------------------------------------------------------------

    @public
    def action_post(self) -> None:
        """Check and post: derive invoice lines, check the balance and the period, number."""
        from .posting import post_move

        post_move(self)

    @public
    def action_cancel(self) -> None:
        """Cancel a draft (a posted entry is reversed instead)."""
        if self.state != "draft":
            raise UserError(_("Only a draft can be cancelled; reverse the posted entry "
                              "%(name)s instead.", name=self.name))
        self.state = "cancel"

    @public
    def action_reverse(self, date: Any = None) -> int:
        """Post the mirror image of this posted entry (debit ↔ credit) and write the two off
        against each other; returns the id of the reversal."""
        from .posting import reverse_move

        return reverse_move(self, date)

    @public
    def action_register_payment(self, journal_id: int, amount: Any = None,
                                date: Any = None) -> int:
        """Record a payment of this posted invoice (the amount due by default) and write it
        off against the invoice; returns the payment id."""
        if not self.is_invoice or self.state != "posted":
            raise UserError(_("Only a posted invoice can be paid."))
        inbound = self.direction > 0
        payment = self.env["account.payment"].create({
            "payment_type": "inbound" if inbound else "outbound",
            "partner_type": "customer" if self.move_type.startswith("out") else "supplier",
            "partner_id": self.partner_id, "journal_id": journal_id,
            "amount": amount if amount is not None else self.amount_residual,
            "date": date or dt.date.today(), "ref": self.name,
            "invoice_ids": [(6, 0, [self.id])]})
        self.env["account.payment"].call("action_post", [payment])
        return payment


MOVE_MODELS = [Move]
