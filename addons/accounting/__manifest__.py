{
    "name": "Accounting",
    "version": "1.1",
    "summary": "PRC chart of accounts, vouchers, invoices, receipts and write-off, periods, "
               "reports",
    "category": "Accounting",
    "depends": ["base"],
    "optional_depends": [],
    "auto_install": False,
    "application": True,
    "data": [
        {"path": "data/account.account.csv", "noupdate": True},
        {"path": "data/account.journal.csv", "noupdate": True},
        {"path": "data/account.tax.csv", "noupdate": True},
    ],
    "demo": ["demo/accounting_demo.py"],
    "license": "LGPL-3",
}
