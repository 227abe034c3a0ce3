{
    "name": "Purchase",
    "version": "1.0",
    "summary": "Supplier data and price lists, purchase requests, supplier comparison (比价单), "
               "purchase orders with approval and amendments",
    "category": "Purchase",
    "depends": ["product"],
    "optional_depends": [],
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
