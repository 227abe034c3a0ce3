"""The CRM's hook implementations: models, security, views, menus and pages."""

from __future__ import annotations

from core.plugins import hookimpl

from .models import MODELS
from .security import ACCESS, GROUPS, RULES
from .views import MENUS, VIEWS
from .web import pages


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
    return MENUS


@hookimpl
def register_views() -> list:
    return VIEWS


@hookimpl
def register_pages() -> list:
    return pages()


@hookimpl
def register_reports() -> list:
    from .print_formats import REPORTS

    return REPORTS


@hookimpl
def register_jobs() -> list:
    from .jobs import JOBS

    return JOBS
