{
    "name": "CRM and products",
    "version": "1.0",
    "summary": "Contract lines pick a product; its name, unit and sales price fill what the line "
               "leaves out",
    "category": "Hidden",
    "depends": ["crm", "product"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
