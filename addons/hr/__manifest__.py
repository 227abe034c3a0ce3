{
    "name": "HR",
    "version": "1.0",
    "summary": "Departments, posts (岗位) that grant groups and data scopes, employees, contracts, "
               "transfers, resignations, attendance, leave on the working calendar (人事管理)",
    "category": "Human Resources",
    "depends": ["base"],
    # their groups and demo users are the posts' groups and the employees of hr's demo
    "optional_depends": ["crm", "sales", "stock", "accounting", "purchase", "purchase_stock",
                         "purchase_account", "production"],
    "auto_install": False,
    "application": True,
    "data": [
        {"path": "data/resource.calendar.csv", "noupdate": True},
        {"path": "data/resource.calendar.leaves.csv", "noupdate": True},
        {"path": "data/hr.leave.type.csv", "noupdate": True},
    ],
    "demo": ["demo/demo.py"],
    "license": "LGPL-3",
}
