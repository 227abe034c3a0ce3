"""Menus and views of the product addon."""

from __future__ import annotations

from core.i18n import _l
from core.menus import MenuItem
from core.views import Filter, FormView, ListView

MENUS = [
    MenuItem("product.menu_root", _l("Products"), sequence=40),
    MenuItem("product.menu_products", _l("Products"), "product.menu_root", 10,
             model="product.product"),
    MenuItem("product.menu_categories", _l("Product lines"), "product.menu_root", 20,
             model="product.category"),
    MenuItem("product.menu_uom", _l("Units of measure"), "product.menu_root", 30,
             model="uom.uom"),
    MenuItem("product.menu_uom_categories", _l("Unit categories"), "product.menu_root", 40,
             model="uom.category", groups=("product.group_manager",)),
    MenuItem("product.menu_import", _l("Import products"), "product.menu_root", 50,
             url="/web/product.product/import", groups=("product.group_manager",)),
]

VIEWS = [
    ListView("product.product",
             ("default_code", "name", "categ_id", "type", "uom_id", "list_price",
              "standard_price", "vat_rate"),
             search=("default_code", "name", "barcode", "categ_id"),
             filters=(Filter("stockable", _l("Stockable"), (("type", "=", "product"),)),
                      Filter("services", _l("Services"), (("type", "=", "service"),)),
                      Filter("archived", _l("Archived"), (("active", "=", False),))),
             group_by=("categ_id", "type")),
    FormView("product.product",
             ("name", "default_code", "barcode", "categ_id", "type", "uom_id", "list_price",
              "standard_price", "vat_rate", "sale_ok", "purchase_ok", "description_sale",
              "active")),
    ListView("product.category", ("complete_name", "parent_id"), search=("name",)),
    FormView("product.category", ("name", "parent_id", "complete_name")),
    ListView("uom.uom", ("name", "category_id", "uom_type", "ratio", "rounding", "active"),
             search=("name", "category_id"), group_by=("category_id",)),
    FormView("uom.uom", ("name", "category_id", "uom_type", "ratio", "rounding", "active")),
    ListView("uom.category", ("name",), search=("name",)),
    FormView("uom.category", ("name",)),
]
