{
    "name": "Sales and accounting",
    "version": "1.0",
    "summary": "Invoicing notices become customer invoices; collections become receipts that "
               "write off the invoices",
    "category": "Accounting",
    "depends": ["sales", "accounting"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
