"""The product addon's registrations: models, groups and access rights."""

from __future__ import annotations

from core.i18n import _l
from core.plugins import hookimpl
from core.security import FULL, Access, Group, grant

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
    return [*grant("product", MODELS, "base.group_user"),
            *grant("product", MODELS, "product.group_manager", **FULL)]


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
