{
    "name": "Projects and CRM",
    "version": "1.0",
    "summary": "Initiation requests and projects name the opportunity they came from and the "
               "signed contract; opportunities and contracts list their projects",
    "category": "Services",
    "depends": ["projects", "crm"],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
