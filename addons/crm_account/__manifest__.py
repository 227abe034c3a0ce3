{
    "name": "CRM and accounting",
    "version": "1.0",
    "summary": "The customer's invoices, receipts and open receivable balance on the CRM's "
               "360° page",
    "category": "Hidden",
    "depends": ["crm", "accounting"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
