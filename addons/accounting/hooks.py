"""The accounting addon's registrations: models, groups, access rights, menus and views."""

from __future__ import annotations

from typing import Any

from core.plugins import hookimpl

from . import security, ui
from .models import MODELS


@hookimpl
def work_waiting(env: Any) -> list[Any]:
    return ui.work_waiting(env)


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_groups() -> list:
    return security.groups()


@hookimpl
def register_access() -> list:
    return security.access()


@hookimpl
def register_menus() -> list:
    return ui.menus()


@hookimpl
def register_views() -> list:
    return ui.views()


@hookimpl
def register_pages() -> list:
    from .web import pages

    return pages()


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
