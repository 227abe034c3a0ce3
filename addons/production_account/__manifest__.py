{
    "name": "Manufacturing costs in accounting",
    "version": "1.0",
    "summary": "Production cost vouchers: components into 5001 生产成本, labour and overhead "
               "absorbed from 2211 / 5101, finished goods into 1405 at actual cost",
    "category": "Accounting",
    "depends": ["production", "stock_account"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
