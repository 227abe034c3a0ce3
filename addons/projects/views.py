"""Menus and views of projects (workflow buttons come from the workflow panel)."""

from __future__ import annotations

from core.i18n import _l
from core.menus import MenuItem
from core.views import Field, Filter, FormView, KanbanView, ListView

from .groups import FINANCE, MEMBER, OFFICE, USER

MENUS = [
    MenuItem("projects.menu_root", _l("Projects"), sequence=45, groups=(USER,)),
    MenuItem("projects.menu_initiations", _l("Initiation requests"), "projects.menu_root", 10,
             model="project.initiation"),
    MenuItem("projects.menu_projects", _l("Projects"), "projects.menu_root", 40,
             model="project.project"),
    MenuItem("projects.menu_tasks", _l("Task board"), "projects.menu_root", 50,
             model="project.task", view="kanban", groups=(MEMBER,)),
    MenuItem("projects.menu_config", _l("Configuration"), "projects.menu_root", 90,
             groups=(OFFICE,)),
    MenuItem("projects.menu_initiator_rules", _l("Initiation rights"), "projects.menu_config",
             10, model="project.initiator.rule"),
    MenuItem("projects.menu_task_types", _l("Task stages"), "projects.menu_config", 20,
             model="project.task.type"),
]

_WAITING = Filter("to_approve", _l("Waiting for approval"), (("state", "=", "to_approve"),))

VIEWS = [
    ListView("project.initiation",
             ("name", "project_name", "partner_id", "user_id", "department_id", "date",
              "expected_amount", "presales_budget", "success_rate", "state"),
             search=("name", "project_name", "partner_id", "user_id"),
             filters=(_WAITING, Filter("approved", _l("Approved"),
                                       (("state", "=", "approved"),))),
             group_by=("state", "department_id", "user_id")),
    FormView("project.initiation",
             ("name", "project_name", "user_id", "department_id", "date", "partner_id",
              "street", "contact_name", "contact_phone", Field("description", widget="textarea"),
              "feasibility", "expected_amount", "funding", "success_rate", "date_signing",
              "presales_budget", "is_special", "needs_general_manager",
              Field("project_ids", columns=("name", "user_id", "state"), readonly=True),
              "state")),
    ListView("project.initiator.rule", ("department_id", Field("job_ids", widget="tags"),
                                        "include_children", "note")),
    FormView("project.initiator.rule", ("department_id", Field("job_ids", widget="tags"),
                                        "include_children", "note")),
    ListView("project.project",
             ("code", "name", "partner_id", "user_id", "date_start", "budget", "state"),
             search=("name", "code", "partner_id", "user_id"),
             filters=(Filter("in_progress", _l("In progress"),
                             (("state", "in", ("presales", "in_progress")),)),),
             group_by=("state", "user_id", "partner_id")),
    FormView("project.project",
             ("name", "code", "partner_id", "user_id", Field("member_ids", widget="tags"),
              "initiation_id", "date_start", "date", "budget_presales", "budget", "state",
              "description",
              Field("milestone_ids", columns=("name", "deadline", "is_reached", "reached_date")),
              Field("task_ids", columns=("name", "stage_id", "date_deadline", "planned_hours"),
                    readonly=True))),
    ListView("project.task", ("name", "project_id", "stage_id", Field("user_ids", widget="tags"),
                              "date_deadline", "planned_hours", "priority"),
             search=("name", "project_id"), group_by=("project_id", "stage_id")),
    FormView("project.task", ("name", "project_id", "milestone_id", "stage_id",
                              Field("user_ids", widget="tags"), "date_deadline", "planned_hours",
                              "priority", "description")),
    KanbanView("project.task", "stage_id", fields=("project_id", "date_deadline"),
               group_expand=True),
    ListView("project.milestone", ("project_id", "name", "deadline", "is_reached")),
    ListView("project.task.type", ("name", "sequence", "fold")),
    FormView("project.task.type", ("name", "sequence", "fold")),
]

__all__ = ["MENUS", "VIEWS", "FINANCE"]
