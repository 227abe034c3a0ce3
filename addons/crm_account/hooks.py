"""The customer's invoices, receipts and open balance (应收余额) for the CRM's 360° page.

Everything is read through the acting user's model service: a user without accounting rights
sees none of these sections. The balance is one ``GROUP BY`` over the posted receivable items
of the customer and its contacts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import format_decimal

from core.i18n import _
from core.plugins import hookimpl

_LIMIT = 20


def _invoices(env: Any, partner_id: int) -> dict[str, Any] | None:
    if not env.access.allowed("account.move", "read"):
        return None
    fields = ["name", "date", "move_type", "invoice_date_due", "amount_total",
              "amount_residual", "payment_state", "state"]
    records = env["account.move"].search_read(
        [("partner_id", "child_of", partner_id), ("move_type", "in", ["out_invoice",
                                                                      "out_refund"])],
        fields, limit=_LIMIT)
    return {"key": "invoices", "title": _("Invoices"), "model": "account.move",
            "fields": fields, "records": records, "link": None}


def _receipts(env: Any, partner_id: int) -> dict[str, Any] | None:
    if not env.access.allowed("account.payment", "read"):
        return None
    fields = ["name", "date", "amount", "amount_unapplied", "journal_id", "ref", "state"]
    records = env["account.payment"].search_read(
        [("partner_id", "child_of", partner_id), ("payment_type", "=", "inbound")],
        fields, limit=_LIMIT)
    return {"key": "receipts", "title": _("Customer receipts"), "model": "account.payment",
            "fields": fields, "records": records, "link": None}


def open_balance(env: Any, partner_id: int) -> Decimal:
    """What the customer (and its contacts) still owes: posted receivable items, summed."""
    groups = env["account.move.line"].read_group(
        [("partner_id", "child_of", partner_id), ("parent_state", "=", "posted"),
         ("account_id.account_type", "=", "asset_receivable")], ["balance:sum"], "parent_state")
    total = sum((Decimal(str(g["balance"] or 0)) for g in groups), Decimal(0))
    return total.quantize(Decimal("0.01"))


def _balance(env: Any, partner_id: int) -> dict[str, Any] | None:
    if not env.access.allowed("account.move.line", "read"):
        return None
    return {"key": "balance", "title": _("Open balance"), "rows": [],
            "total_label": _("Receivable still due"),
            "total": format_decimal(open_balance(env, partner_id), format="#,##0.00"),
            "link": None}


@hookimpl
def crm_partner_sections(env: Any, partner_id: int) -> list[dict[str, Any]] | None:
    sections = [_invoices(env, partner_id), _receipts(env, partner_id),
                _balance(env, partner_id)]
    return [s for s in sections if s is not None] or None
