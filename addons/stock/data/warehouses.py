"""The warehouses every database starts with: the main warehouse and the 发出商品 transit
warehouse that holds goods shipped to customers until they are invoiced (SA-003)."""


def load(loader):
    loader.record("stock.warehouse_main", "stock.warehouse",
                  {"name": "总仓 Main warehouse", "code": "WH", "sequence": 1})
    loader.record("stock.warehouse_transit", "stock.warehouse",
                  {"name": "发出商品 Goods shipped", "code": "FC", "is_transit": True,
                   "sequence": 90})
