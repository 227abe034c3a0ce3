{
    "name": "Projects and sales",
    "version": "1.0",
    "summary": "Sales orders name their project; the project lists its orders and counts what "
               "was invoiced as its revenue",
    "category": "Services",
    "depends": ["projects", "sales"],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
