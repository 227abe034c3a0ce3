{
    "name": "Sales and manufacturing",
    "version": "1.0",
    "summary": "Material planning sees the approved sales orders still to deliver; "
               "make-to-order products get one manufacturing order per sales order",
    "category": "Manufacturing",
    "depends": ["sales", "production"],
    "optional_depends": [],
    "auto_install": True,
    "application": False,
    "data": [],
    "demo": [],
    "license": "LGPL-3",
}
