"""The projects addon's registrations: models, security, views, menus, pages, jobs."""

from __future__ import annotations

from core.plugins import hookimpl

from .models import MODELS
from .security import ACCESS, GROUPS, RULES


@hookimpl
def register_models() -> list[type]:
    return MODELS


@hookimpl
def register_groups() -> list:
    return GROUPS


@hookimpl
def register_access() -> list:
    return ACCESS


@hookimpl
def register_rules() -> list:
    return RULES


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
def register_jobs() -> list:
    from core.i18n import _l
    from core.jobs import CronJob

    from .costs import monthly_cost_job

    # 09:00 China time on the 1st: the month that just ended, to the cost director and GM
    return [CronJob("projects.job_monthly_costs",
                    _l("Projects: monthly project costs to the cost director and general "
                       "manager"), monthly_cost_job, cron="0 1 1 * *")]
