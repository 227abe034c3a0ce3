"""The purchase addon's registrations: models, groups, access rights, record rules, views,
menus, pages and generated data."""

from __future__ import annotations

from core.plugins import hookimpl
from core.views import ViewExtension

from . import security
from .comparison import COMPARISON_MODELS
from .order import ORDER_MODELS
from .order_line import LINE_MODELS
from .request import REQUEST_MODELS
from .supplier import SUPPLIER_MODELS


@hookimpl
def register_models() -> list[type]:
    return [*SUPPLIER_MODELS, *REQUEST_MODELS, *COMPARISON_MODELS, *ORDER_MODELS, *LINE_MODELS]


@hookimpl
def register_groups() -> list:
    return security.groups()


@hookimpl
def register_access() -> list:
    return security.access()


@hookimpl
def register_rules() -> list:
    return security.rules()


@hookimpl
def register_menus() -> list:
    from .views import MENUS

    return MENUS


@hookimpl
def register_views() -> list:
    from .views import VIEWS

    return [*VIEWS, ViewExtension(
        "res.partner", "form", add=("supplier_rank", "supplier_rating",
                                    "supplier_payment_term_days", "supplier_bank_name",
                                    "supplier_bank_account", "seller_ids"), after="vat")]


@hookimpl
def register_pages() -> list:
    from .web import PAGES

    return PAGES


@hookimpl
def register_reports() -> list:
    from .print_formats import REPORTS

    return REPORTS


@hookimpl
def register_data_generators() -> list:
    from .datagen import DATA_STEPS

    return DATA_STEPS
