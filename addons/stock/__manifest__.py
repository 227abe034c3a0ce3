{
    "name": "Inventory",
    "version": "1.0",
    "summary": "Warehouses, locations, stock moves and transfers with two-level approval, "
               "inventory counts, moving-average valuation and reorder rules",
    "description": "仓库管理: warehouses and a location tree, double-entry stock moves, transfers "
                   "(receipts, deliveries, internal and transit transfers) with reservation, "
                   "backorders and the keeper/inspector approvals (一审/二审) of SA-003, the "
                   "发出商品 transit warehouse with one location per customer, inventory counts "
                   "(盘点), moving-average valuation per move, reorder rules and a stock ledger.",
    "category": "Inventory",
    "depends": ["product"],
    "optional_depends": [],
    "auto_install": False,
    "application": True,
    "data": [
        {"path": "data/ir.sequence.csv", "noupdate": True},
        "data/stock.location.csv",
        {"path": "data/warehouses.py", "noupdate": True},
    ],
    "demo": ["demo/demo.py"],
    "license": "LGPL-3",
}
