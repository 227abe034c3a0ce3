"""The product addon's registrations: models, groups and access rights."""

from __future__ import annotations

from core.i18n import _l
from core.plugins import hookimpl
from core.security import Access, Group

from .models import PRODUCT_MODELS
from .uom import UOM_MODELS

MODELS = ("product.category", "product.product", "uom.category", "uom.uom")


@hookimpl
def register_models() -> list[type]:
    return [*UOM_MODELS, *PRODUCT_MODELS]


@hookimpl
def register_groups() -> list[Group]:
    return [
        Group("product.group_manager", _l("Product manager"), _l("Products"),
              implied=("base.group_user",),
              comment=_l("Maintains products, product lines, units of measure and prices.")),
    ]


@hookimpl
def register_access() -> list[Access]:
    rights = []
    for model in MODELS:
        key = model.replace(".", "_")
        rights.append(Access(f"product.access_{key}_user", model, "base.group_user"))
        rights.append(Access(f"product.access_{key}_manager", model, "product.group_manager",
                             read=True, write=True, create=True, unlink=True))
    return rights


@hookimpl
def register_menus() -> list:
    from .views import MENUS

    return MENUS


@hookimpl
def register_views() -> list:
    from .views import VIEWS

    return VIEWS



@hookimpl
def register_data_generators() -> list:
    from .datagen import DATA_STEPS

    return DATA_STEPS
