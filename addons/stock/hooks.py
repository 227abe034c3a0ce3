"""The stock addon's registrations: models, groups, access rights, record rules, menus, views."""

from __future__ import annotations

from typing import Any

from core.i18n import _l
from core.menus import MenuItem
from core.plugins import hookimpl
from core.security import Access, Group, Rule
from core.work import WorkItem

from .models import MODELS
from .security import GROUPS, access_rights, record_rules
from .views import menus, views


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_groups() -> list[Group]:
    return list(GROUPS)


@hookimpl
def register_access() -> list[Access]:
    return access_rights()


@hookimpl
def register_rules() -> list[Rule]:
    return record_rules()


@hookimpl
def register_menus() -> list[MenuItem]:
    return menus()


@hookimpl
def register_views() -> list[object]:
    return views()


@hookimpl
def register_pages() -> list:
    from .web import PAGES

    return PAGES


@hookimpl
def register_data_generators() -> list:
    from .datagen import DATA_STEPS

    return DATA_STEPS


@hookimpl
def register_reports() -> list:
    from .print_formats import REPORTS

    return REPORTS


@hookimpl
def register_jobs() -> list:
    from .jobs import JOBS

    return JOBS


@hookimpl
def work_waiting(env: Any) -> list[WorkItem]:
    """Home page work of the keepers: transfers ready to ship or receive."""
    if not env.access.has_group("stock.group_keeper"):
        return []
    return [WorkItem(_l("Transfers ready"), env["stock.picking"].search_count(
        [("state", "=", "assigned")]), "/web/stock.picking?filter=ready")]
