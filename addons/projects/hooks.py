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
