"""Projects (项目管理): the system-integration project process of 康怡 — initiation requests
(立项书) with their approval chain, presales support requests, early-start approvals — and the
projects, milestones, tasks, timesheets, expense claims and monthly cost statistics that follow.
Who may initiate and approve comes from hr (departments and posts)."""

from __future__ import annotations

from typing import Any

#: tables of the addon's documents, dependents first (the order their rows can be deleted)
DOCUMENT_MODELS = ("project.cost.month", "account.analytic.line", "hr.expense", "project.task",
                   "project.milestone", "project.presales.activity", "project.presales.request",
                   "project.early.start", "project.project", "project.initiation",
                   "project.initiator.rule")


def uninstall(env: Any) -> None:
    """Before the addon's records are removed: delete its documents (they point at users and
    employees its demo data created) and their workflow requests and history."""
    from sqlalchemy import delete

    registry = env.registry
    env.session.flush()
    for model in DOCUMENT_MODELS:
        if model in registry:
            env.session.execute(delete(registry[model].__table__))
    for model in ("workflow.history", "workflow.request"):
        if model in registry:
            table = registry[model].__table__
            env.session.execute(delete(table).where(table.c.res_model.in_(DOCUMENT_MODELS)))
    env.session.expire_all()
