"""The warehouses every database starts with: the main warehouse and the 发出商品 transit
warehouse that holds goods shipped to customers until they are invoiced (SA-003)."""

from core.translate import N_


def load(loader):
    loader.record("stock.warehouse_main", "stock.warehouse",
                  {"name": N_("Main warehouse"), "code": "WH", "sequence": 1})
    loader.record("stock.warehouse_transit", "stock.warehouse",
                  {"name": N_("Goods shipped"), "code": "FC", "is_transit": True,
                   "sequence": 90})
