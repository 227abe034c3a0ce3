"""Print formats of accounting: customer invoice, voucher (记账凭证) and receipt."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.i18n import _l
from core.reports import Report, Table, rmb_upper


def _voucher(env: Any, record_id: int, document: dict[str, Any]) -> dict[str, Any]:
    """Amount in words of the debit total; who prepared (制单) and posted (记账) it."""
    table = document["tables"][0]
    document["words"] = rmb_upper(table["raw_sums"].get("debit", Decimal(0)))
    move = env["account.move"].read([record_id], ["create_uid", "write_uid", "state"])[0]
    users = env.sudo()["res.users"].display_names(
        [u for u in (move.get("create_uid"), move.get("write_uid")) if isinstance(u, int)])
    prepared = users.get(move.get("create_uid"), "")
    posted = users.get(move.get("write_uid"), "") if move["state"] == "posted" else ""
    document["signatures"] = [(label, name) for (label, _blank), name in
                              zip(document["signatures"], (prepared, "", posted), strict=True)]
    return document


REPORTS = [
    Report("accounting.report_invoice", "accounting.report_invoice", _l("Customer invoice"),
           "account.move",
           header=("partner_id", "date", "invoice_date_due", "ref", "origin", "journal_id"),
           tables=(Table("line_ids", ("name", "quantity", "price_unit", "price_subtotal",
                                      "price_total"), domain=(("display_type", "=", "product"),)),),
           totals=("amount_untaxed", "amount_tax", "amount_total"), amount_words="amount_total",
           notes="narration", signatures=(_l("Invoicing clerk"), _l("Reviewed by"))),
    Report("accounting.report_voucher", "accounting.report_voucher", _l("Accounting voucher"),
           "account.move", header=("date", "journal_id", "ref", "origin"),
           tables=(Table("line_ids", ("name", "account_id", "debit", "credit"),
                         sums=("debit", "credit")),),
           signatures=(_l("Prepared by"), _l("Reviewed by"), _l("Posted by")), values=_voucher),
    Report("accounting.report_receipt", "accounting.report_receipt", _l("Payment receipt"),
           "account.payment", header=("partner_id", "date", "journal_id", "ref", "origin"),
           totals=("amount",), amount_words="amount",
           signatures=(_l("Payer"), _l("Cashier"))),
]
