"""The header the forms following an approved initiation request share (the presales support
request and the early-start approval): number, initiation request and its project, the
applicant's employee and department, date — a mixin the models inherit, with the rules of
their creation, changes and deletion."""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.errors import UserError
from core.i18n import _, _l

from .common import (
    approved_initiation,
    check_editable,
    employee_of,
    next_number,
    project_of,
    today,
)


class InitiationFollowUp:
    """Mixin: a request filed by the acting user on an approved initiation request. Its number
    comes from the sequence named as the model; ``_editable`` maps states to what may change
    in them (:func:`.common.check_editable`); drafts and cancelled requests may be deleted."""

    _editable: dict[str, tuple[str | None, tuple[str, ...]]] = {}

    name: Mapped[Optional[str]] = fields.Char(_l("Number"), size=32, index=True, readonly=True)
    initiation_id: Mapped[int] = fields.Many2one("project.initiation", _l("Initiation request"),
                                                 required=True, ondelete="RESTRICT")
    project_id: Mapped[Optional[int]] = fields.Many2one("project.project", _l("Project"),
                                                        readonly=True)
    employee_id: Mapped[Optional[int]] = fields.Many2one("hr.employee", _l("Requester employee"),
                                                         readonly=True)
    department_id: Mapped[Optional[int]] = fields.Many2one("hr.department", _l("Department"),
                                                           readonly=True)
    date: Mapped[dt.date] = fields.Date(_l("Request date"), required=True,
                                        default=lambda env: today())

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        """The applicant is the acting user (their employee and department); the project is
        the initiation's, which must be approved."""
        for vals in vals_list:
            initiation = approved_initiation(env, vals.get("initiation_id"))
            employee = employee_of(env, env.uid)
            vals.update(user_id=env.uid, project_id=project_of(env, initiation.id),
                        employee_id=employee.id if employee is not None else None,
                        department_id=employee.department_id if employee is not None
                        else None)
            if not vals.get("name"):
                vals["name"] = next_number(env, cls._name)
        return super().create(env, vals_list)  # type: ignore[misc]

    def write(self, vals: dict[str, Any]) -> None:
        if not self.env.su:  # type: ignore[attr-defined]
            check_editable(self, vals, self._editable)
        super().write(vals)  # type: ignore[misc]

    def unlink(self) -> None:
        if self.state not in ("draft", "cancel"):  # type: ignore[attr-defined]
            raise UserError(_("Only draft or cancelled requests can be deleted."))
        super().unlink()  # type: ignore[misc]
