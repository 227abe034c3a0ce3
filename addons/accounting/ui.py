"""Menus and views of the accounting addon."""

from __future__ import annotations

import json
from typing import Any

from core.i18n import _l
from core.menus import MenuItem
from core.views import Button, Field, Filter, FormView, ListView
from core.work import WorkItem

from .security import CHIEF, COST, INVOICING, POSTS, RECEIVABLE

ROOT = "accounting.menu_root"
REPORTS = (("trial_balance", _l("Trial balance"), "trial-balance"),
           ("ledger", _l("General ledger"), "ledger"),
           ("balances", _l("Account balances"), "balances"),
           ("aging", _l("Receivables aging"), "aging"),
           ("profit_loss", _l("Profit and loss"), "profit-loss"),
           ("balance_sheet", _l("Balance sheet"), "balance-sheet"))


def _lines_url(groupby: str, extra: list | None = None) -> str:
    domain = json.dumps([["parent_state", "=", "posted"], *(extra or [])])
    return f"/web/account.move.line?groupby={groupby}&domain={domain}"


def menus() -> list[MenuItem]:
    return [
        MenuItem(ROOT, _l("Accounting"), sequence=40),
        MenuItem("accounting.menu_documents", _l("Documents"), parent=ROOT, sequence=10),
        MenuItem("accounting.menu_invoices", _l("Customer invoices"),
                 parent="accounting.menu_documents", sequence=10, model="account.move",
                 url="/web/account.move?filter=out_invoice"),
        MenuItem("accounting.menu_bills", _l("Vendor bills"), parent="accounting.menu_documents",
                 sequence=20, url="/web/account.move?filter=in_invoice",
                 groups=(INVOICING, COST, RECEIVABLE)),
        MenuItem("accounting.menu_vouchers", _l("Journal vouchers"),
                 parent="accounting.menu_documents", sequence=30, model="account.move"),
        MenuItem("accounting.menu_payments", _l("Receipts and payments"),
                 parent="accounting.menu_documents", sequence=40, model="account.payment"),
        MenuItem("accounting.menu_items", _l("Journal items"),
                 parent="accounting.menu_documents", sequence=50, model="account.move.line"),
        MenuItem("accounting.menu_matches", _l("Write-off matches"),
                 parent="accounting.menu_documents", sequence=60,
                 model="account.partial.reconcile"),
        MenuItem("accounting.menu_reports", _l("Reports"), parent=ROOT, sequence=50),
        *(MenuItem(f"accounting.menu_{key}", label, parent="accounting.menu_reports",
                   sequence=10 * index, url=f"/web/page/accounting/{slug}", groups=POSTS)
          for index, (key, label, slug) in enumerate(REPORTS, start=1)),
        MenuItem("accounting.menu_by_account", _l("Journal items by account"),
                 parent="accounting.menu_reports", sequence=90, url=_lines_url("account_id"),
                 groups=POSTS),
        MenuItem("accounting.menu_config", _l("Configuration"), parent=ROOT, sequence=90),
        MenuItem("accounting.menu_accounts", _l("Chart of accounts"),
                 parent="accounting.menu_config", sequence=10, model="account.account"),
        MenuItem("accounting.menu_journals", _l("Journals"), parent="accounting.menu_config",
                 sequence=20, model="account.journal"),
        MenuItem("accounting.menu_taxes", _l("VAT rates"), parent="accounting.menu_config",
                 sequence=30, model="account.tax"),
        MenuItem("accounting.menu_years", _l("Fiscal years"), parent="accounting.menu_config",
                 sequence=40, model="account.fiscal.year", groups=(CHIEF,)),
        MenuItem("accounting.menu_periods", _l("Periods"), parent="accounting.menu_config",
                 sequence=50, model="account.period"),
    ]


def views() -> list:
    line_columns = ("account_id", "partner_id", "name", "debit", "credit")
    invoice_columns = ("name", "account_id", "quantity", "price_unit", "tax_ids",
                       "price_subtotal")
    return [
        ListView("account.account", ("code", "name", "name_en", "account_type", "reconcile"),
                 search=("code", "name", "name_en"), group_by=("account_type",),
                 filters=(Filter("writeoff", _l("Allows write-off"),
                                 (("reconcile", "=", True),)),)),
        FormView("account.account", ("code", "name", "name_en", "account_type", "reconcile",
                                     "active", "note")),
        ListView("account.move", ("name", "date", "journal_id", "move_type", "partner_id", "ref",
                                  "amount_total", "amount_residual", "payment_state", "state"),
                 search=("name", "ref", "origin", "partner_id"),
                 filters=(Filter("draft", _l("Drafts"), (("state", "=", "draft"),)),
                          Filter("posted", _l("Posted"), (("state", "=", "posted"),)),
                          Filter("out_invoice", _l("Customer invoices"),
                                 (("move_type", "in", ["out_invoice", "out_refund"]),)),
                          Filter("in_invoice", _l("Vendor bills"),
                                 (("move_type", "in", ["in_invoice", "in_refund"]),)),
                          Filter("entry", _l("Vouchers"), (("move_type", "=", "entry"),)),
                          Filter("unpaid", _l("Not fully paid"),
                                 (("payment_state", "in", ["not_paid", "partial"]),))),
                 group_by=("journal_id", "partner_id", "move_type", "state", "date")),
        FormView("account.move", (
            "move_type", "name", "journal_id", "date", "partner_id", "invoice_date_due", "ref",
            "origin", Field("line_ids", columns=line_columns + invoice_columns[2:5]),
            "amount_untaxed", "amount_tax", "amount_total", "amount_residual", "payment_state",
            "state", "period_id", "reversed_entry_id", "narration"),
            buttons=(Button("action_post", _l("Post entry"), primary=True,
                            groups=(INVOICING, COST, RECEIVABLE), states=("draft",)),
                     Button("action_reverse", _l("Reverse"), groups=(INVOICING, COST, RECEIVABLE),
                            confirm=_l("Post a reversal of this entry?"), states=("posted",),
                            opens="account.move"),
                     Button("action_cancel", _l("Cancel draft"),
                            groups=(INVOICING, COST, RECEIVABLE), states=("draft",)))),
        ListView("account.move.line", ("date", "move_id", "account_id", "partner_id", "name",
                                       "debit", "credit", "balance", "amount_residual",
                                       "parent_state"),
                 search=("name", "account_id", "partner_id", "move_id"),
                 filters=(Filter("posted", _l("Posted"), (("parent_state", "=", "posted"),)),
                          Filter("open", _l("Not written off"),
                                 (("reconciled", "=", False),
                                  ("display_type", "=", "payment_term"))),
                          Filter("pl", _l("Without closing entries"),
                                 (("is_closing", "=", False),))),
                 group_by=("account_id", "partner_id", "journal_id", "date", "move_id")),
        ListView("account.payment", ("name", "date", "payment_type", "partner_id", "amount",
                                     "amount_unapplied", "journal_id", "state"),
                 search=("name", "ref", "partner_id"), group_by=("partner_id", "state", "date")),
        FormView("account.payment", ("payment_type", "partner_type", "partner_id", "amount",
                                     "date", "journal_id", "ref", "origin", "invoice_ids",
                                     "name", "state", "move_id", "amount_unapplied"),
                 buttons=(Button("action_post", _l("Post and write off"), primary=True,
                                 groups=(RECEIVABLE,), states=("draft",)),)),
        ListView("account.period", ("name", "date_from", "date_to", "fiscal_year_id", "state"),
                 group_by=("fiscal_year_id", "state")),
        FormView("account.period", ("name", "code", "date_from", "date_to", "fiscal_year_id",
                                    "state"),
                 buttons=(Button("action_close", _l("Month-end close"), primary=True,
                                 groups=(CHIEF,), confirm=_l("Close and lock this period?")),
                          Button("action_reopen", _l("Reopen"), groups=(CHIEF,)))),
        FormView("account.fiscal.year", ("name", "date_from", "date_to", "period_ids"),
                 buttons=(Button("action_create_periods", _l("Create monthly periods"),
                                 groups=(CHIEF,)),)),
    ]


def work_waiting(env: Any) -> list[WorkItem]:
    """Home page work: drafts to post (the posts that post), receipts to post (往来会计)."""
    access = env.access
    items = []
    if any(access.has_group(g) for g in (INVOICING, COST, RECEIVABLE)):
        items.append(WorkItem(_l("Journal entries to post"), env["account.move"].search_count(
            [("state", "=", "draft")]), "/web/account.move?filter=draft"))
    if access.has_group(RECEIVABLE):
        domain = json.dumps([["state", "=", "draft"]])
        items.append(WorkItem(_l("Receipts and payments to post"),
                              env["account.payment"].search_count([("state", "=", "draft")]),
                              f"/web/account.payment?domain={domain}"))
    return items
