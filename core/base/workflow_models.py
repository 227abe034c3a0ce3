"""Models of the workflow engine: editable approval steps, pending requests, the step history.

``workflow.step`` rows are data an admin edits (approver group, N-of-M count, amount threshold);
they are seeded from the addons' :class:`core.workflow.Workflow` declarations as ``noupdate``
records. ``workflow.request`` (an approval in progress) and ``workflow.history`` (every step taken,
append-only) are written by the engine alone: ``_engine_only`` makes the model service refuse
create, write and delete on them whoever asks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l

from .attached import attached_to_record

REQUEST_STATES = [("pending", _l("Waiting for approval")), ("approved", _l("Approved")),
                  ("rejected", _l("Rejected")), ("withdrawn", _l("Withdrawn")),
                  ("cancelled", _l("Cancelled"))]

DECISIONS = [("transition", _l("Transition")), ("submit", _l("Submitted for approval")),
             ("approve", _l("Approved")), ("reject", _l("Rejected")),
             ("withdraw", _l("Withdrawn")), ("cancel", _l("Cancelled"))]


class WorkflowStep:
    _name = "workflow.step"
    _description = _l("Approval step")
    _order = "res_model, transition, sequence, id"
    _rec_name = "label"

    name: Mapped[str] = fields.Char(_l("Step"), size=64, required=True, code=True)
    label: Mapped[Optional[str]] = fields.Char(_l("Label"), translate=True)
    res_model: Mapped[str] = fields.Char(_l("Model"), size=128, required=True, index=True,
                                         code=True)
    transition: Mapped[str] = fields.Char(_l("Transition"), size=64, required=True, code=True)
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    group_id: Mapped[Optional[int]] = fields.Many2one("res.groups", _l("Approver group"),
                                                      ondelete="SET NULL")
    user_ids = fields.Many2many("res.users", _l("Approvers"),
                                relation="workflow_step_user_rel", column1="step_id",
                                column2="user_id")
    resolver: Mapped[Optional[str]] = fields.Char(
        _l("Approver resolver"), size=64,
        help=_l("Name passed to the resolve_approvers hook, e.g. department_manager."))
    required: Mapped[Optional[int]] = fields.Integer(
        _l("Approvals needed"), default=1, help=_l("N of M: how many approvers must approve."))
    threshold_field: Mapped[Optional[str]] = fields.Char(_l("Threshold field"), size=64)
    threshold: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Threshold"), help=_l("The step applies only when the threshold field is above it."))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


@attached_to_record()
class WorkflowRequest:
    _name = "workflow.request"
    _description = _l("Approval request")
    _rec_name = "res_name"

    transition: Mapped[str] = fields.Char(_l("Transition"), size=64, required=True, code=True)
    from_state: Mapped[Optional[str]] = fields.Char(_l("From state"), size=64, code=True)
    state: Mapped[str] = fields.Selection(REQUEST_STATES, _l("Status"), default="pending",
                                          index=True)
    step_id: Mapped[Optional[int]] = fields.Many2one("workflow.step", _l("Current step"))
    requester_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Requested by"))
    approver_ids = fields.Many2many("res.users", _l("Waiting for"),
                                    relation="workflow_request_approver_rel",
                                    column1="request_id", column2="user_id")


@attached_to_record(name=False)
class WorkflowHistory:
    _name = "workflow.history"
    _description = _l("Workflow step record")
    _order = "id"  # oldest first: the steps in the order they were taken
    _rec_name = "transition"

    request_id: Mapped[Optional[int]] = fields.Many2one("workflow.request", _l("Request"),
                                                        ondelete="SET NULL")
    transition: Mapped[str] = fields.Char(_l("Transition"), size=64, required=True, code=True)
    step: Mapped[Optional[str]] = fields.Char(_l("Step"), size=64, code=True)
    decision: Mapped[str] = fields.Selection(DECISIONS, _l("Decision"), required=True)
    from_state: Mapped[Optional[str]] = fields.Char(_l("From"), size=64, code=True)
    to_state: Mapped[Optional[str]] = fields.Char(_l("To"), size=64, code=True)
    comment: Mapped[Optional[str]] = fields.Text(_l("Comment"))
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("By"))
    date: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Date"))


WORKFLOW_MODELS = [WorkflowStep, WorkflowRequest, WorkflowHistory]
