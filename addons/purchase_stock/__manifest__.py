{
    "name": "Purchase and inventory",
    "version": "1.0",
    "summary": "Receipts from approved purchase orders (partial, with backorders), inspection "
               "with accepted and rejected quantities, returns to the supplier, purchase "
               "requests from reorder rules",
    "category": "Inventory",
    "depends": ["purchase", "stock"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": ["demo/demo.py"],
    "post_init_hook": "receive_approved_orders",
    "license": "LGPL-3",
}
