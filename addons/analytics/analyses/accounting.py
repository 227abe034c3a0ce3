"""Accounting analyses: profit by product (revenue − cost of sales from posted journal lines),
receivables aging by due month, expenses by account."""

from __future__ import annotations

from core.i18n import _l

from ..declare import Analysis, Dashboard, Tile

POSTED = (("parent_state", "=", "posted"),)
PROFIT = (*POSTED, ("product_id", "!=", False),
          ("account_id.account_type", "in", ("income", "income_other", "expense_direct_cost")))
RECEIVABLE = (("move_type", "=", "out_invoice"), ("state", "=", "posted"),
              ("amount_residual", ">", 0))
EXPENSES = (*POSTED, ("account_id.account_type", "in", ("expense", "expense_other")))

ITEMS = [
    Analysis("analytics.account_profit", _l("Profit by product"), "account.move.line",
             rows=("product_id",), cols=("date:quarter",), measures=("balance:sum",),
             domain=PROFIT),
    Analysis("analytics.account_receivable_aging", _l("Receivables aging"), "account.move",
             rows=("partner_id",), cols=("invoice_date_due:month",),
             measures=("amount_residual:sum",), domain=RECEIVABLE),
    Analysis("analytics.account_expenses", _l("Expenses by account"), "account.move.line",
             rows=("account_id",), cols=("date:month",), measures=("debit:sum",),
             domain=EXPENSES, date_field="date", period="this_year"),
    Analysis("analytics.account_expense_chart", _l("Expenses by month"), "account.move.line",
             rows=("date:month",), measures=("debit:sum",), domain=EXPENSES, kind="graph",
             chart="line"),
    Tile("analytics.tile_receivable", _l("Receivables open"), "account.move",
         measure="amount_residual:sum", domain=RECEIVABLE,
         analysis="analytics.account_receivable_aging"),
    Tile("analytics.tile_invoiced", _l("Invoiced"), "account.move", measure="amount_total:sum",
         date_field="date", domain=(("move_type", "=", "out_invoice"), ("state", "=", "posted")),
         analysis="analytics.account_receivable_aging"),
    Tile("analytics.tile_expenses", _l("Expenses"), "account.move.line", measure="debit:sum",
         date_field="date", domain=EXPENSES, analysis="analytics.account_expenses"),
    Dashboard("analytics.dashboard_finance", _l("Finance manager"),
              tiles=("analytics.tile_invoiced", "analytics.tile_receivable",
                     "analytics.tile_expenses"),
              charts=("analytics.account_expense_chart",)),
    Dashboard("analytics.dashboard_general", _l("General manager"),
              tiles=("analytics.tile_invoiced", "analytics.tile_receivable")),
]
