"""Print format of crm: the contract with its lines and collection plan."""

from __future__ import annotations

from core.i18n import _l
from core.reports import Report, Table

REPORTS = [
    Report("crm.report_contract", "crm.report_contract", _l("Contract"), "crm.contract",
           header=("title", "partner_id", "date_signed", "date_start", "date_end", "user_id",
                   "signer"),
           tables=(Table("line_ids", ("name", "quantity", "uom", "price_unit", "price_subtotal"),
                         sums=("price_subtotal",)),
                   Table("installment_ids", ("date_due", "amount", "amount_received", "state",
                                             "note"), title=_l("Collection plan"),
                         sums=("amount", "amount_received"))),
           totals=("amount_total", "amount_received", "amount_due"), amount_words="amount_total",
           notes="terms", signatures=(_l("Party A (customer)"), _l("Party B (supplier)"))),
]
