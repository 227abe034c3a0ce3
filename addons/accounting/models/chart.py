"""The chart of accounts, journals and taxes (``account.account``, ``account.journal``,
``account.tax``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l
from core.money import money

#: account types (Odoo's keys); the first word is the report section
ACCOUNT_TYPES = [
    ("asset_cash", _l("Bank and cash")),
    ("asset_receivable", _l("Receivable")),
    ("asset_prepayment", _l("Prepayments")),
    ("asset_current", _l("Current assets")),
    ("asset_non_current", _l("Non-current assets")),
    ("asset_fixed", _l("Fixed assets")),
    ("liability_payable", _l("Payable")),
    ("liability_current", _l("Current liabilities")),
    ("liability_non_current", _l("Non-current liabilities")),
    ("equity", _l("Equity")),
    ("equity_unaffected", _l("Current year earnings")),
    ("cost", _l("Costs (production)")),
    ("income", _l("Operating income")),
    ("income_other", _l("Other income")),
    ("expense", _l("Expenses")),
    ("expense_direct_cost", _l("Cost of revenue")),
    ("expense_other", _l("Other expenses")),
]
#: account types whose balances belong to profit and loss (closed to 4103 each month)
PL_TYPES = ("income", "income_other", "expense", "expense_direct_cost", "expense_other")


class Account:
    _name = "account.account"
    _description = _l("Account")
    _order = "code"
    _rec_name = "complete_name"

    code: Mapped[str] = fields.Char(_l("Code"), size=16, required=True, unique=True)
    name: Mapped[str] = fields.Char(_l("Account name"), required=True)
    name_en: Mapped[Optional[str]] = fields.Char(_l("English name"), code=True)
    complete_name: Mapped[Optional[str]] = fields.Char(_l("Account"), readonly=True, index=True)
    account_type: Mapped[str] = fields.Selection(ACCOUNT_TYPES, _l("Type"), required=True,
                                                 index=True)
    reconcile: Mapped[bool] = fields.Boolean(
        _l("Allow write-off"), help=_l("Open items of this account are written off (核销) "
                                       "against each other: receivables, payables."))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))

    @classmethod
    def create(cls, env, vals_list):  # noqa: ANN001, ANN206
        records = super().create(env, vals_list)
        for record in records:
            record.complete_name = f"{record.code} {record.name}"
        return records

    def write(self, vals):  # noqa: ANN001, ANN201
        super().write(vals)
        self.complete_name = f"{self.code} {self.name}"

    @constrains("code")
    def _check_code(self) -> None:
        if not (self.code or "").isdigit():
            raise ValidationError(_("An account code is made of digits (%(code)s).",
                                    code=self.code), field="code")


JOURNAL_TYPES = [("sale", _l("Sales")), ("purchase", _l("Purchase")), ("bank", _l("Bank")),
                 ("cash", _l("Cash")), ("general", _l("General"))]


class Journal:
    _name = "account.journal"
    _description = _l("Journal")
    _order = "code"

    name: Mapped[str] = fields.Char(_l("Journal name"), required=True)
    code: Mapped[str] = fields.Char(_l("Short code"), size=8, required=True, unique=True)
    type: Mapped[str] = fields.Selection(JOURNAL_TYPES, _l("Type"), required=True)
    default_account_id: Mapped[Optional[int]] = fields.Many2one(
        "account.account", _l("Default account"),
        help=_l("Revenue account of sales lines, expense account of purchase lines, the bank or "
                "cash account of payments."))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


TAX_USES = [("sale", _l("Sales")), ("purchase", _l("Purchases"))]


class Tax:
    _name = "account.tax"
    _description = _l("Tax")
    _order = "type_tax_use, amount desc, name"

    name: Mapped[str] = fields.Char(_l("Tax name"), required=True)
    type_tax_use: Mapped[str] = fields.Selection(TAX_USES, _l("Tax scope"), required=True)
    amount: Mapped[Decimal] = fields.Decimal(_l("Rate (%)"), digits=(6, 2), required=True)
    price_include: Mapped[bool] = fields.Boolean(
        _l("Included in price"), help=_l("Prices entered with this tax already include it."))
    account_id: Mapped[int] = fields.Many2one("account.account", _l("Tax account"),
                                              required=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @constrains("amount")
    def _check_amount(self) -> None:
        if self.amount is None or not Decimal(0) <= Decimal(self.amount) < Decimal(100):
            raise ValidationError(_("A VAT rate lies between 0 and 100 %."), field="amount")

    def compute(self, amount: Decimal) -> tuple[Decimal, Decimal]:
        """``(untaxed base, tax)`` of a line amount entered with this tax, rounded to cents."""
        rate = Decimal(self.amount) / 100
        amount = money(amount)
        if self.price_include:
            base = money(amount / (1 + rate))
            return base, amount - base
        return amount, money(amount * rate)


CHART_MODELS = [Account, Journal, Tax]
