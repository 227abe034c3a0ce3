"""The sales addon's registrations: models, groups, access rights, record rules, views, menus,
and the reaction to its documents' state changes."""

from __future__ import annotations

from typing import Any

from core.i18n import _l
from core.plugins import hookimpl
from core.security import FULL, Access, Group, Rule, grant

from .collection import COLLECTION_MODELS
from .delivery import DELIVERY_MODELS
from .invoicing import INVOICING_MODELS
from .order import ASSISTANT, DIRECTOR, MANAGER, ORDER_MODELS
from .order_line import LINE_MODELS
from .pricelist import PRICELIST_MODELS

#: models every sales post reads and writes (assistants are limited by record rules)
DOCUMENTS = ("sale.order", "sale.order.line", "sale.delivery.notice",
             "sale.delivery.notice.line", "sale.invoice.notice", "sale.invoice.notice.line",
             "sale.collection", "sale.collection.allocation")
PRICING = ("sale.pricelist", "sale.pricelist.item")
SALES_MODELS = {"sale.order", "sale.delivery.notice", "sale.invoice.notice", "sale.collection"}


@hookimpl
def register_models() -> list[type]:
    return [*PRICELIST_MODELS, *ORDER_MODELS, *LINE_MODELS, *DELIVERY_MODELS,
            *INVOICING_MODELS, *COLLECTION_MODELS]


@hookimpl
def register_groups() -> list[Group]:
    category = _l("Sales")
    return [
        Group(ASSISTANT, _l("Sales assistant (销售助理)"), category,
              implied=("base.group_user",),
              comment=_l("Enters orders, delivery and invoicing notices and collections; sees "
                         "the orders they handle.")),
        Group(MANAGER, _l("Sales manager (销售主管)"), category, implied=(ASSISTANT,),
              comment=_l("Sees all orders and approves them.")),
        Group(DIRECTOR, _l("Sales director (销售总监)"), category, implied=(MANAGER,),
              comment=_l("Approves orders above the director's threshold.")),
    ]


@hookimpl
def register_access() -> list[Access]:
    return [*grant("sales", DOCUMENTS, ASSISTANT, **FULL),
            *grant("sales", PRICING, ASSISTANT),
            *grant("sales", PRICING, MANAGER, **FULL)]


@hookimpl
def register_rules() -> list[Rule]:
    own = "['|', ('user_id', '=', user.id), ('create_uid', '=', user.id)]"
    everything = "[(1, '=', 1)]"
    rules = []
    for model, domain in (
            ("sale.order", own),
            ("sale.delivery.notice", "['|', ('order_id.user_id', '=', user.id), "
                                     "('user_id', '=', user.id)]"),
            ("sale.invoice.notice", "['|', ('order_id.user_id', '=', user.id), "
                                    "('user_id', '=', user.id)]"),
            ("sale.collection", "['|', ('handler_id', '=', user.id), "
                                "('create_uid', '=', user.id)]")):
        key = model.replace(".", "_")
        rules.append(Rule(f"sales.rule_{key}_own", _l("Sales assistants: own documents"),
                          model, domain, groups=(ASSISTANT,)))
        rules.append(Rule(f"sales.rule_{key}_all", _l("Sales managers: all documents"),
                          model, everything, groups=(MANAGER,)))
    return rules


@hookimpl
def record_written(env: Any, model: str, record_id: int, old: dict[str, Any],
                   new: dict[str, Any]) -> None:
    if model in SALES_MODELS:
        from .events import state_changed

        state_changed(env, model, record_id, old, new)


@hookimpl
def register_menus() -> list:
    from .views import MENUS

    return MENUS


@hookimpl
def register_views() -> list:
    from .views import VIEWS

    return VIEWS


@hookimpl
def register_pages() -> list:
    from .web import PAGES

    return PAGES


@hookimpl
def register_data_generators() -> list:
    from .datagen import DATA_STEPS

    return DATA_STEPS


@hookimpl
def register_jobs() -> list:
    from .jobs import JOBS

    return JOBS


@hookimpl
def register_reports() -> list:
    from .print_formats import REPORTS

    return REPORTS
