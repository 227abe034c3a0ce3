{
    "name": "Manufacturing",
    "version": "1.0",
    "summary": "Work centres, bills of materials, manufacturing orders with material issue and "
               "finished-goods receipt, material requirements planning",
    "description": "生产管理: work centres with labour and overhead rates, multi-level bills of "
                   "materials (scrap rate, by-products, versions, routings), manufacturing "
                   "orders (生产任务单) approved by the 车间主任, material issue (领料单) "
                   "validated by the 保管员, returns (退料), finished-goods receipt (完工入库) "
                   "inspected by the 质检员, partial production with backorders, actual cost "
                   "per order, and material requirements planning (MRP) proposing orders and "
                   "purchases.",
    "category": "Manufacturing",
    "depends": ["stock"],
    "optional_depends": [],
    "auto_install": False,
    "application": True,
    "data": [
        {"path": "data/ir.sequence.csv", "noupdate": True},
        {"path": "data/picking_types.py", "noupdate": True},
    ],
    "demo": ["demo/demo.py"],
    "license": "LGPL-3",
}
