"""Projects (``project.project``, created by an approved initiation request), their milestones,
and tasks on a kanban by stage (``project.task``, ``project.task.type``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l

PROJECT_STATES = [("presales", _l("Presales")), ("in_progress", _l("In progress")),
                  ("done", _l("Closed")), ("cancel", _l("Cancelled"))]
PRIORITIES = [("0", _l("Normal")), ("1", _l("Urgent"))]


class Project:
    _name = "project.project"
    _description = _l("Project")
    _order = "id desc"
    _track = True
    _scope_fields = ("user_id", "create_uid")

    name: Mapped[str] = fields.Char(_l("Project name"), required=True)
    code: Mapped[Optional[str]] = fields.Char(_l("Project number"), size=32, index=True)
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Customer"),
                                                        ondelete="RESTRICT")
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Project manager"),
                                                     default=lambda env: env.uid, index=True)
    initiation_id: Mapped[Optional[int]] = fields.Many2one(
        "project.initiation", _l("Initiation request"), readonly=True, ondelete="RESTRICT")
    member_ids = fields.Many2many("res.users", _l("Members"), relation="project_project_member_rel",
                                  column1="project_id", column2="user_id")
    date_start: Mapped[Optional[dt.date]] = fields.Date(_l("Start date"))
    date: Mapped[Optional[dt.date]] = fields.Date(_l("Expected end"))
    budget_presales: Mapped[Decimal] = fields.Monetary(_l("Presales budget"),
                                                       default=Decimal(0))
    budget: Mapped[Decimal] = fields.Monetary(_l("Cost budget"), default=Decimal(0))
    description: Mapped[Optional[str]] = fields.Text(_l("Description"))
    milestone_ids = fields.One2many("project.milestone", "project_id", _l("Milestones"))
    task_ids = fields.One2many("project.task", "project_id", _l("Tasks"))
    state: Mapped[str] = fields.Selection(PROJECT_STATES, _l("Status"), default="presales",
                                          index=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @constrains("budget", "budget_presales")
    def _check_budget(self):
        if (self.budget or 0) < 0 or (self.budget_presales or 0) < 0:
            raise ValidationError(_("A budget cannot be negative."), field="budget")

    @constrains("date_start", "date")
    def _check_dates(self):
        if self.date_start and self.date and self.date < self.date_start:
            raise ValidationError(_("The project cannot end before it starts."), field="date")


class Milestone:
    _name = "project.milestone"
    _description = _l("Milestone")
    _order = "project_id, deadline, id"
    _rules_from = "project_id"

    project_id: Mapped[int] = fields.Many2one("project.project", _l("Project"), required=True,
                                              ondelete="CASCADE")
    name: Mapped[str] = fields.Char(_l("Milestone"), required=True)
    deadline: Mapped[Optional[dt.date]] = fields.Date(_l("Deadline"))
    is_reached: Mapped[bool] = fields.Boolean(_l("Reached"))
    reached_date: Mapped[Optional[dt.date]] = fields.Date(_l("Reached on"))

    def write(self, vals: dict[str, Any]) -> None:
        if vals.get("is_reached") and not self.is_reached and not vals.get("reached_date"):
            vals = {**vals, "reached_date": dt.date.today()}
        super().write(vals)


class TaskType:
    _name = "project.task.type"
    _description = _l("Task stage")
    _order = "sequence, id"

    name: Mapped[str] = fields.Char(_l("Stage"), required=True)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    fold: Mapped[bool] = fields.Boolean(_l("Folded in the kanban"))


def _first_stage(env: Any) -> int | None:
    stages = env.sudo()["project.task.type"].search([], limit=1)
    return stages[0] if stages else None


class Task:
    _name = "project.task"
    _description = _l("Task")
    _order = "priority desc, date_deadline, id"
    _track = True
    _rules_from = "project_id"

    name: Mapped[str] = fields.Char(_l("Task"), required=True)
    project_id: Mapped[int] = fields.Many2one("project.project", _l("Project"), required=True,
                                              ondelete="CASCADE")
    milestone_id: Mapped[Optional[int]] = fields.Many2one("project.milestone", _l("Milestone"))
    stage_id: Mapped[Optional[int]] = fields.Many2one("project.task.type", _l("Stage"),
                                                      default=_first_stage, ondelete="RESTRICT")
    user_ids = fields.Many2many("res.users", _l("Assignees"), relation="project_task_user_rel",
                                column1="task_id", column2="user_id")
    date_deadline: Mapped[Optional[dt.date]] = fields.Date(_l("Deadline"))
    planned_hours: Mapped[Optional[Decimal]] = fields.Decimal(_l("Planned hours"),
                                                              digits=(10, 2))
    priority: Mapped[Optional[str]] = fields.Selection(PRIORITIES, _l("Priority"), default="0")
    description: Mapped[Optional[str]] = fields.Text(_l("Description"))

    @constrains("user_ids", "project_id")
    def _add_assignees_to_project(self) -> None:
        """Assignees become members of the project (they see it and record hours on it); a
        constraint, so it runs after the many2many rows are written, through every door."""
        su = self.env.sudo()
        assignees = su["project.task"].read([self.id], ["user_ids"])[0]["user_ids"]
        members = su["project.project"].read([self.project_id], ["member_ids"])[0]["member_ids"]
        missing = sorted(set(assignees) - set(members))
        if missing:
            su["project.project"].write([self.project_id],
                                        {"member_ids": [(4, u) for u in missing]})

    @constrains("planned_hours")
    def _check_hours(self):
        if self.planned_hours is not None and self.planned_hours < 0:
            raise ValidationError(_("Planned hours cannot be negative."), field="planned_hours")

    @constrains("milestone_id", "project_id")
    def _check_milestone(self):
        if self.milestone_id:
            milestone = self.env.sudo()["project.milestone"].read([self.milestone_id],
                                                                 ["project_id"])[0]
            if milestone["project_id"][0] != self.project_id:
                raise ValidationError(_("The milestone belongs to another project."),
                                      field="milestone_id")


PROJECT_MODELS = [Project, Milestone, TaskType, Task]
