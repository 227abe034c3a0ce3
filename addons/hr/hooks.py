"""The hr addon's registrations: models, security, views, menus, pages, and its answers to the
core's ``data_scope`` and ``resolve_approvers`` hooks."""

from __future__ import annotations

from typing import Any

from core.plugins import hookimpl

from . import scopes  # declares the org chart change counter: every write is counted
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
def data_scope(env: Any, model: str) -> Any:
    return scopes.data_scope(env, model)


@hookimpl
def resolve_approvers(env: Any, record: Any, step: str) -> list[int] | None:
    return scopes.resolve_approvers(env, record, step)


@hookimpl
def record_written(env: Any, model: str, record_id: int, old: dict[str, Any],
                   new: dict[str, Any]) -> None:
    if model == "hr.employee" and "user_id" in old and old["user_id"] != new["user_id"]:
        from .posts import user_changed

        user_changed(env, record_id, old["user_id"])


@hookimpl
def register_jobs() -> list:
    from core.i18n import _l
    from core.jobs import CronJob

    from .contracts import remind_expiring_contracts
    from .departure import deactivate_departed

    return [
        # 08:00 and 20:00 China time (the scheduler's expressions are in UTC)
        CronJob("hr.job_contract_reminders", _l("HR: remind HR of expiring contracts"),
                remind_expiring_contracts, cron="0 0 * * *"),
        CronJob("hr.job_deactivate_departed",
                _l("HR: archive the users of employees whose last day has come"),
                deactivate_departed, cron="0 12 * * *"),
    ]
