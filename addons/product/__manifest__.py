{
    "name": "Products",
    "version": "1.0",
    "summary": "Products, product categories (product lines), units of measure and prices",
    "category": "Sales",
    "depends": ["base"],
    "optional_depends": [],
    "auto_install": False,
    "application": False,
    "data": [
        "data/uom.category.csv",
        "data/uom.uom.csv",
        {"path": "data/product.category.csv", "noupdate": True},
    ],
    "demo": [
        "demo/product.category.csv",
        "demo/product.product.csv",
    ],
    "license": "LGPL-3",
}
