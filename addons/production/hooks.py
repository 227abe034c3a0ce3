"""The production addon's registrations: models, groups, access, rules, menus, views, jobs."""

from __future__ import annotations

from typing import Any

from core.i18n import _l
from core.plugins import hookimpl
from core.work import WorkItem

from .models import MODELS
from .security import GROUPS, KEEPER, QUALITY, WORKSHOP, access_rights, record_rules
from .views import menus, views


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_groups() -> list:
    return list(GROUPS)


@hookimpl
def register_access() -> list:
    return access_rights()


@hookimpl
def register_rules() -> list:
    return record_rules()


@hookimpl
def register_menus() -> list:
    return menus()


@hookimpl
def register_views() -> list:
    return views()


@hookimpl
def register_pages() -> list:
    from .web import PAGES

    return PAGES


@hookimpl
def register_jobs() -> list:
    from .jobs import JOBS

    return JOBS


@hookimpl
def work_waiting(env: Any) -> list[WorkItem]:
    """Home page work: orders to start or to inspect, material issues to validate."""
    items, access = [], env.access
    if access.has_group(WORKSHOP):
        items.append(WorkItem(_l("Orders to start"), env["mrp.production"].search_count(
            [("state", "=", "confirmed")]), "/web/mrp.production?filter=open"))
    if access.has_group(QUALITY):
        items.append(WorkItem(_l("Finished goods to inspect"), env["mrp.production"]
                              .search_count([("state", "=", "to_inspect")]),
                              "/web/mrp.production?filter=to_inspect"))
    if access.has_group(KEEPER):
        items.append(WorkItem(_l("Material issues to validate"), env["stock.picking"]
                              .search_count([("production_id", "!=", False),
                                             ("state", "in", ["confirmed", "assigned"])]),
                              "/web/stock.picking?filter=ready"))
    return items
