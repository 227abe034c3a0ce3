"""Departments (a tree with a manager) and posts (岗位): the groups a post grants and the data
scope it gives per model."""

from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields
from core.i18n import _, _l

SCOPES = [("own", _l("Own records")), ("department", _l("Own department")),
          ("department_tree", _l("Department and sub-departments")), ("all", _l("All records"))]


class Department:
    _name = "hr.department"
    _description = _l("Department")
    _order = "sequence, name"
    _track = True

    name: Mapped[str] = fields.Char(_l("Department name"), required=True)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    parent_id: Mapped[Optional[int]] = fields.Many2one("hr.department", _l("Parent department"),
                                                       ondelete="RESTRICT")
    manager_id: Mapped[Optional[int]] = fields.Many2one(
        "hr.employee", _l("Manager"), cycle_key="hr_department_manager_id_fkey")
    child_ids = fields.One2many("hr.department", "parent_id", _l("Sub-departments"))
    member_ids = fields.One2many("hr.employee", "department_id", _l("Members"))
    note: Mapped[Optional[str]] = fields.Text(_l("Note"))

    @constrains("parent_id")
    def _check_parent(self):
        seen, current = {self.id}, self.parent_id
        departments = self.env.sudo()["hr.department"]
        while current:
            if current in seen:
                raise ValidationError(_("A department cannot be its own parent."),
                                      field="parent_id")
            seen.add(current)
            current = departments.read([current], ["parent_id"])[0]["parent_id"]
            current = current[0] if current else None


class Job:
    _name = "hr.job"
    _description = _l("Position")
    _order = "name"
    _track = True

    name: Mapped[str] = fields.Char(_l("Post name"), required=True)
    department_id: Mapped[Optional[int]] = fields.Many2one("hr.department", _l("Department"))
    group_ids = fields.Many2many("res.groups", _l("Groups granted"), relation="hr_job_group_rel",
                                 column1="job_id", column2="group_id")
    scope_ids = fields.One2many("hr.job.scope", "job_id", _l("Data scopes"))
    description: Mapped[Optional[str]] = fields.Text(_l("Duties"))

    @constrains("group_ids")
    def _grant_changed_groups(self):
        """The post's groups changed: the users holding it get or lose them (every door)."""
        from ..posts import sync_job

        sync_job(self.env, self.id)


class JobScope:
    """What a post lets its holders see of a model (a model that declares ``_scope_fields``)."""

    _name = "hr.job.scope"
    _description = _l("Data scope of a post")
    _order = "job_id, model"
    _rec_name = "model"

    job_id: Mapped[int] = fields.Many2one("hr.job", _l("Position"), required=True,
                                          ondelete="CASCADE")
    model: Mapped[str] = fields.Char(_l("Model"), required=True, size=64)
    scope: Mapped[str] = fields.Selection(SCOPES, _l("Data scope"), required=True,
                                          default="own")

    @constrains("model")
    def _check_model(self):
        registry = self.env.registry
        if self.model not in registry or not registry[self.model]._scope_fields:
            scoped = sorted(name for name in registry.models if registry[name]._scope_fields)
            raise ValidationError(_("%(model)s has no data scope; models with one: %(models)s.",
                                    model=self.model, models=", ".join(scoped)), field="model")


ORGANIZATION_MODELS = [Department, Job, JobScope]
