{
    "name": "Sales and CRM",
    "version": "1.0",
    "summary": "Orders from signed contracts and opportunities; collections count as contract "
               "receipts; orders on the customer 360° page",
    "category": "Hidden",
    "depends": ["sales", "crm"],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
