{
    "name": "Manufacturing and purchase",
    "version": "1.0",
    "summary": "Material planning buys through purchase requests, orders them the suppliers' "
               "lead time ahead and counts open requests and RFQs as supply",
    "category": "Manufacturing",
    "depends": ["purchase", "production"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
