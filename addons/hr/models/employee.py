"""Employees: linked to a user, holding posts; personal data readable by HR only."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy.orm import Mapped

from core import ValidationError, constrains, fields, public
from core.i18n import _, _l

OFFICER = "hr.group_officer"
MANAGER = "hr.group_manager"

STATES = [("probation", _l("Probation")), ("regular", _l("Regular")),
          ("resigned", _l("Resigned"))]
EDUCATION = [("secondary", _l("Secondary school")), ("college", _l("Junior college")),
             ("bachelor", _l("Bachelor")), ("master", _l("Master")), ("doctor", _l("Doctor")),
             ("other", _l("Other"))]


class Employee:
    _name = "hr.employee"
    _description = _l("Employee")
    _order = "registration_number, id"
    _track = True
    _rec_names_search = ("name", "registration_number")

    name: Mapped[str] = fields.Char(_l("Employee name"), required=True)
    registration_number: Mapped[Optional[str]] = fields.Char(_l("Employee number (工号)"),
                                                             size=32, unique=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("User"))
    department_id: Mapped[Optional[int]] = fields.Many2one("hr.department", _l("Department"),
                                                           tracking=True)
    job_id: Mapped[Optional[int]] = fields.Many2one("hr.job", _l("Main post"), tracking=True)
    job_ids = fields.Many2many("hr.job", _l("Posts"), relation="hr_employee_job_rel",
                               column1="employee_id", column2="job_id")
    parent_id: Mapped[Optional[int]] = fields.Many2one("hr.employee", _l("Direct manager"))
    work_phone: Mapped[Optional[str]] = fields.Char(_l("Work phone"), size=32)
    mobile_phone: Mapped[Optional[str]] = fields.Char(_l("Mobile"), size=32)
    work_email: Mapped[Optional[str]] = fields.Char(_l("Work email"))
    entry_date: Mapped[Optional[dt.date]] = fields.Date(_l("Entry date"))
    probation_end_date: Mapped[Optional[dt.date]] = fields.Date(_l("Probation end"))
    certificate: Mapped[Optional[str]] = fields.Selection(EDUCATION, _l("Education"))
    emergency_contact: Mapped[Optional[str]] = fields.Char(_l("Emergency contact"))
    emergency_phone: Mapped[Optional[str]] = fields.Char(_l("Emergency phone"), size=32)
    state: Mapped[Optional[str]] = fields.Selection(STATES, _l("Status"), default="probation",
                                                    tracking=True)
    # personal data: HR only, through every door (field groups)
    identification_id: Mapped[Optional[str]] = fields.Char(_l("ID number"), size=32,
                                                           groups=OFFICER)
    birthday: Mapped[Optional[dt.date]] = fields.Date(_l("Birth date"), groups=OFFICER)
    private_street: Mapped[Optional[str]] = fields.Char(_l("Home address"), groups=OFFICER)
    departure_date: Mapped[Optional[dt.date]] = fields.Date(_l("Last working day"),
                                                            groups=OFFICER)
    departure_reason: Mapped[Optional[str]] = fields.Text(_l("Reason for leaving"),
                                                          groups=OFFICER)
    granted_group_ids = fields.Many2many(
        "res.groups", _l("Groups granted by posts"), relation="hr_employee_granted_group_rel",
        column1="employee_id", column2="group_id", groups=OFFICER, readonly=True)
    contract_ids = fields.One2many("hr.contract", "employee_id", _l("Contracts"),
                                   groups=OFFICER)
    transfer_ids = fields.One2many("hr.employee.transfer", "employee_id",
                                   _l("Transfers and promotions"))
    departure_item_ids = fields.One2many("hr.departure.item", "employee_id",
                                         _l("Hand-over checklist"), groups=OFFICER)

    @constrains("probation_end_date", "entry_date")
    def _check_dates(self):
        if self.entry_date and self.probation_end_date and \
                self.probation_end_date < self.entry_date:
            raise ValidationError(_("The probation cannot end before the entry date."),
                                  field="probation_end_date")

    @constrains("user_id")
    def _check_user(self):
        employees = self.env.sudo().with_context(active_test=False)["hr.employee"]
        if self.user_id and employees.search_count([("user_id", "=", self.user_id),
                                                    ("id", "!=", self.id)]):
            raise ValidationError(_("This user is already linked to another employee."),
                                  field="user_id")

    @constrains("job_ids", "job_id", "user_id", "state", "active")
    def _grant_post_groups(self):
        """Posts, user or status changed: the user gets the groups of the posts and loses the
        ones only removed posts granted (runs after the posts are written, for every door)."""
        from ..posts import sync_employee

        sync_employee(self.env, self.id)

    @public
    def action_create_user(self):
        """入职: give the employee a user (login: work email, else 工号) with a one-time password
        shown once to the HR officer; the posts' groups follow."""
        from ..hiring import create_user

        return create_user(self.env, self)

    @public
    def action_make_regular(self):
        """转正: the probation is over."""
        if self.state != "probation":
            raise ValidationError(_("Only an employee on probation can become regular."))
        self.env["hr.employee"].write([self.id], {"state": "regular"})

    @public
    def action_resign(self, date: str | None = None, reason: str | None = None):
        """离职: the last working day; the hand-over checklist is opened, the user is deactivated
        on that day (at once if it is past)."""
        from ..departure import start_departure

        start_departure(self.env, self, date, reason)


EMPLOYEE_MODELS = [Employee]
