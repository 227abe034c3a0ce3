{
    "name": "Purchase and accounting",
    "version": "1.1",
    "summary": "Vendor bills from purchase orders and receipts with three-way matching, "
               "month-end 暂估入库 and its reversal, supplier payments with write-off, payables "
               "aging and supplier statements",
    "category": "Accounting",
    "depends": ["purchase", "accounting"],
    "optional_depends": ["purchase_stock", "stock_account"],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": ["demo/demo.py"],
    "license": "LGPL-3",
}
