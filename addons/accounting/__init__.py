"""Accounting: PRC chart of accounts, vouchers, invoices, payments, write-off, reports."""
