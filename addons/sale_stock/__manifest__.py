{
    "name": "Sales and inventory",
    "version": "1.0",
    "summary": "SA-003 glue: transfers to the customer's transit location from approved "
               "delivery notices, shipping the notice at the second approval, and moving "
               "invoiced goods out of transit",
    "category": "Inventory",
    "depends": ["sales", "stock"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": ["data/defaults.py"],
    "demo": ["demo/demo.py"],
    "license": "LGPL-3",
}
