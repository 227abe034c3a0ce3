"""The projects addon's registrations: models, security, views, menus, pages, jobs."""

from __future__ import annotations

from core.plugins import hookimpl

from .models import MODELS
from .security import ACCESS, GROUPS, RULES
from .views import MENUS, VIEWS

# argument-less hooks answered by lists (core/plugins.py)
register_models, register_groups, register_access = MODELS, GROUPS, ACCESS
register_rules, register_menus, register_views = RULES, MENUS, VIEWS


@hookimpl
def register_pages() -> list:
    from .web import PAGES

    return PAGES


@hookimpl
def register_reports() -> list:
    from .print_formats import REPORTS

    return REPORTS


@hookimpl
def register_jobs() -> list:
    from core.i18n import _l
    from core.jobs import CronJob

    from .costs import monthly_cost_job

    # 09:00 China time on the 1st: the month that just ended, to the cost director and GM
    return [CronJob("projects.job_monthly_costs",
                    _l("Projects: monthly project costs to the cost director and general "
                       "manager"), monthly_cost_job, cron="0 1 1 * *")]


@hookimpl
def work_waiting(env) -> list:
    """Home page work: presales requests 技术服务部 must staff, presales to evaluate and early
    starts to arrange (项目管理部); one COUNT each, for the posts the work belongs to."""
    from core.i18n import _l
    from core.work import WorkItem

    from .groups import OFFICE, TECH

    items = []
    if env.access.has_group(TECH):
        items.append(WorkItem(_l("Presales requests to staff"), env[
            "project.presales.request"].search_count([("state", "=", "submitted")]),
            "/web/project.presales.request?filter=submitted"))
    if env.access.has_group(OFFICE):
        items.append(WorkItem(_l("Presales to evaluate"), env[
            "project.presales.request"].search_count([("state", "=", "evaluation")]),
            "/web/project.presales.request?filter=evaluation"))
        items.append(WorkItem(_l("Early starts to arrange"), env[
            "project.early.start"].search_count([("state", "=", "arrangement")]),
            "/web/project.early.start?filter=arrangement"))
    return items


@hookimpl
def form_sections(env, model: str, record_id: int) -> list | None:
    """A project's profitability, under its form."""
    if model != "project.project":
        return None
    from .profitability import project_section

    section = project_section(env, record_id)
    return [section] if section is not None else None
