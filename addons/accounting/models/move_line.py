"""Journal items (``account.move.line``): one debit or credit on one account.

Lines of a posted move are immutable; only write-off bookkeeping (residual, reconciled) changes,
and only through :mod:`.reconcile`. Date, journal, status and closing flag are stored related
fields of the move so reports aggregate the lines alone; the balance and a product line's
amounts are stored computed fields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import UserError, ValidationError, constrains, depends, fields
from core.i18n import _, _l
from core.models import model_method

from .chart import money
from .move import MOVE_STATES

DISPLAY_TYPES = [("product", _l("Product")), ("tax", _l("Tax")),
                 ("payment_term", _l("Receivable / payable"))]
#: fields a user may not set on a line (besides the computed ones, refused by the model service)
_SYSTEM = {"amount_residual", "reconciled", "tax_line_id"}


class MoveLine:
    _name = "account.move.line"
    _description = _l("Journal item")
    _order = "date desc, move_id, id"

    move_id: Mapped[int] = fields.Many2one("account.move", _l("Journal entry"), required=True,
                                           ondelete="CASCADE")
    name: Mapped[Optional[str]] = fields.Char(_l("Entry description"))
    account_id: Mapped[Optional[int]] = fields.Many2one("account.account", _l("Ledger account"),
                                                        ondelete="RESTRICT")
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Partner"))
    debit: Mapped[Optional[Decimal]] = fields.Monetary(_l("Debit"), default=Decimal(0))
    credit: Mapped[Optional[Decimal]] = fields.Monetary(_l("Credit"), default=Decimal(0))
    balance: Mapped[Optional[Decimal]] = fields.Monetary(_l("Account balance"),
                                                         compute="_compute_balance", store=True)
    display_type: Mapped[Optional[str]] = fields.Selection(DISPLAY_TYPES, _l("Line type"))
    quantity: Mapped[Optional[Decimal]] = fields.Decimal(_l("Quantity"), default=Decimal(1))
    price_unit: Mapped[Optional[Decimal]] = fields.Decimal(_l("Unit price"), digits=(16, 4))
    discount: Mapped[Optional[Decimal]] = fields.Decimal(_l("Discount (%)"), digits=(5, 2),
                                                         default=Decimal(0))
    tax_ids = fields.Many2many("account.tax", _l("VAT rates"), relation="account_move_line_tax_rel",
                               column1="line_id", column2="tax_id")
    tax_line_id: Mapped[Optional[int]] = fields.Many2one("account.tax", _l("Originating tax"),
                                                         readonly=True)
    price_subtotal: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Subtotal"), compute="_compute_price", store=True)
    price_total: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Total incl. tax"), compute="_compute_price", store=True)
    date: Mapped[Optional[dt.date]] = fields.Date(_l("Date"), index=True, related="move_id.date",
                                                  store=True)
    date_maturity: Mapped[Optional[dt.date]] = fields.Date(_l("Maturity date"), index=True)
    journal_id: Mapped[Optional[int]] = fields.Many2one(
        "account.journal", _l("Journal"), related="move_id.journal_id", store=True)
    parent_state: Mapped[Optional[str]] = fields.Selection(
        MOVE_STATES, _l("Status"), index=True, related="move_id.state", store=True)
    is_closing: Mapped[bool] = fields.Boolean(_l("Closing entry"), related="move_id.is_closing",
                                              store=True)
    amount_residual: Mapped[Optional[Decimal]] = fields.Monetary(_l("Residual amount"),
                                                                 readonly=True)
    reconciled: Mapped[bool] = fields.Boolean(_l("Written off"), readonly=True)
    matched_debit_ids = fields.One2many("account.partial.reconcile", "credit_move_id",
                                        _l("Matched debits"))
    matched_credit_ids = fields.One2many("account.partial.reconcile", "debit_move_id",
                                         _l("Matched credits"))

    @classmethod
    def create(cls, env, vals_list):  # noqa: ANN001, ANN206
        for vals in vals_list:
            wrong = _SYSTEM.intersection(k for k, v in vals.items()
                                         if v not in (None, False, "draft") and k != "tax_line_id")
            if wrong:
                raise ValidationError(_("%(fields)s of a journal item are set by the system.",
                                        fields=", ".join(sorted(wrong))))
        return super().create(env, vals_list)

    @classmethod
    def prepare_new(cls, env: Any, records: list[Any]) -> None:
        """Only a draft takes lines; a line without partner takes its entry's (before its
        INSERT)."""
        super().prepare_new(env, records)
        moves = {m.id: m for m in env.sudo()["account.move"].browse_unchecked(
            list({r.move_id for r in records if r.move_id}))}  # in one query, if not held
        for record in records:
            move = moves.get(record.move_id)
            if move is None:  # no such entry: the INSERT refuses it as any broken link
                continue
            if move.state != "draft":
                raise UserError(_("Lines cannot be added to the posted or cancelled entry "
                                  "%(name)s.", name=move.name))
            if record.partner_id is None:
                record.partner_id = move.partner_id

    def write(self, vals: dict[str, Any]) -> None:
        if self.move.state != "draft":
            raise UserError(_("The lines of the posted entry %(name)s cannot be changed; "
                              "reverse it instead.", name=self.move.name))
        wrong = _SYSTEM.intersection(vals)
        if wrong:
            raise ValidationError(_("%(fields)s of a journal item are set by the system.",
                                    fields=", ".join(sorted(wrong))))
        super().write(vals)
        if self.partner_id is None:
            self.partner_id = self.move.partner_id

    def unlink(self) -> None:
        move = self.move
        if move.state != "draft":
            raise UserError(_("The lines of the posted entry %(name)s cannot be deleted; "
                              "reverse it instead.", name=move.name))
        super().unlink()

    @constrains("debit", "credit")
    def _check_amounts(self) -> None:
        debit, credit = money(self.debit), money(self.credit)
        if debit < 0 or credit < 0:
            raise ValidationError(_("Debit and credit cannot be negative; swap the sides."),
                                  field="debit")
        if debit and credit:
            raise ValidationError(_("A journal item is either a debit or a credit, not both."),
                                  field="credit")

    @depends("debit", "credit")
    def _compute_balance(self) -> None:
        self.balance = money(self.debit) - money(self.credit)

    @depends("display_type", "quantity", "price_unit", "discount", "tax_ids.amount",
             "tax_ids.price_include")
    def _compute_price(self) -> None:
        """A product line's untaxed and taxed amounts (none on other lines)."""
        if self.display_type != "product":
            self.price_subtotal = self.price_total = None
            return
        base, tax, _taxes = self.compute_taxes(list(self.tax_ids))
        self.price_subtotal, self.price_total = base, base + tax

    def taxes(self) -> list[Any]:
        """The ``account.tax`` ORM records of this line."""
        return taxes_of(self.env, [self.id])[self.id]

    def compute_taxes(self, taxes: list[Any] | None = None
                      ) -> tuple[Decimal, Decimal, list[tuple[Any, Decimal]]]:
        """``(untaxed base, total tax, [(tax, amount)])`` of a product line (``taxes``: its
        taxes when the caller loaded them for several lines with :func:`taxes_of`)."""
        factor = (100 - Decimal(self.discount or 0)) / 100
        amount = money(Decimal(self.quantity or 0) * Decimal(self.price_unit or 0) * factor)
        taxes = self.taxes() if taxes is None else taxes
        base = amount
        for tax in taxes:
            if tax.price_include:
                base, _tax = tax.compute(amount)
        parts = []
        for tax in taxes:
            if tax.price_include:
                parts.append((tax, amount - base))
            else:
                parts.append((tax, tax.compute(base)[1]))
        return base, sum((a for _t, a in parts), Decimal(0)), parts

    @model_method
    @classmethod
    def reconcile(cls, env, line_ids):  # noqa: ANN001, ANN206
        """Write off (核销) the given open items against each other, oldest first; partial
        write-offs leave a residual. Returns the ids of the ``account.partial.reconcile``
        records made."""
        from .reconcile import reconcile_lines

        env["account.move.line"]._check_ids(list(line_ids), "write")
        return reconcile_lines(env, list(line_ids))


def taxes_of(env: Any, line_ids: list[int]) -> dict[int, list[Any]]:
    """``{line id: [account.tax records]}`` of journal items, in one query."""
    tax_cls = env.registry["account.tax"]
    rel = tax_cls.metadata.tables["account_move_line_tax_rel"]
    result: dict[int, list[Any]] = {i: [] for i in line_ids}
    if line_ids:
        for line_id, tax in env.session.execute(
                select(rel.c.line_id, tax_cls).join(tax_cls, tax_cls.id == rel.c.tax_id)
                .where(rel.c.line_id.in_(line_ids)).order_by(rel.c.line_id, tax_cls.id)):
            result[line_id].append(tax)
    return result


LINE_MODELS = [MoveLine]
