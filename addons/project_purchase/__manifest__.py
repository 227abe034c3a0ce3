{
    "name": "Projects and purchase",
    "version": "1.0",
    "summary": "Purchase orders charged to a project count in its monthly costs",
    "category": "Services",
    "depends": ["projects", "purchase"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
