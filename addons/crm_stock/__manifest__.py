{
    "name": "CRM and inventory",
    "version": "1.0",
    "summary": "Return visits planned N days after a delivery to the customer; the customer's "
               "deliveries on the CRM's 360° page",
    "category": "Hidden",
    "depends": ["crm", "stock"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
