{
    "name": "Stock valuation in accounting",
    "version": "1.0",
    "summary": "Perpetual stock valuation vouchers (1405 / 1406 / 6401), matching (钩稽) of "
               "shipments to invoices and the month-end cost of sales",
    "category": "Accounting",
    "depends": ["stock", "accounting"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "post_init_hook": "book_existing_stock",
    "license": "LGPL-3",
}
