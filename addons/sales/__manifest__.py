{
    "name": "Sales",
    "version": "1.0",
    "summary": "Quotations, sales orders with approval, delivery and invoicing notices, "
               "payment collection (回款)",
    "category": "Sales",
    "depends": ["product"],
    "optional_depends": ["crm"],
    "auto_install": False,
    "application": True,
    "data": [
        {"path": "data/ir.sequence.csv", "noupdate": True},
    ],
    "demo": [
        "demo/demo.py",
    ],
    "uninstall_hook": "uninstall",
    "license": "LGPL-3",
}
