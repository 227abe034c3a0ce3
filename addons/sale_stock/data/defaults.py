"""Which warehouse ships sales orders: the main warehouse, named ``sale_stock.warehouse_sales``.

The glue acts only once this name exists, i.e. after the glue's own data loaded: documents that
sales' own demo data shipped by hand while the three addons were installed together stay as
they are.
"""

from sqlalchemy import insert, select

from core.db import model_data_table


def load(loader):
    session = loader.env.session
    table = model_data_table
    exists = session.scalar(select(table.c.id).where(table.c.module == "sale_stock",
                                                     table.c.name == "warehouse_sales"))
    if exists is None:
        session.execute(insert(table).values(
            module="sale_stock", name="warehouse_sales", model="stock.warehouse",
            res_id=loader.resolve("stock.warehouse_main"), noupdate=True))
    loader.loaded.add("sale_stock.warehouse_sales")
