"""Declaring workflows: states, transitions and the approval steps a transition needs.

A model opts in with a class attribute on the fragment that creates it (or on a later fragment,
which then replaces it)::

    class PurchaseRequest:
        _name = "kt.request"
        state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="draft")
        amount_total: Mapped[Decimal] = fields.Monetary(_l("Total"))

        _workflow = Workflow(transitions=(
            Transition("submit", "draft", "approved", _l("Submit"), pending_state="to_approve",
                       reject_to="draft", approvals=(
                           Step("manager", _l("Manager"), group="kt.group_manager"),
                           Step("director", _l("Director"), group="kt.group_director",
                                threshold_field="amount_total", threshold=50000))),
            Transition("cancel", ("draft", "approved"), "cancel", _l("Cancel")),
        ))

The states are the selection of the workflow's field (``state`` by default); its default is the
initial state. Business work belongs in the transition callbacks ``_before_<name>`` and
``_after_<name>`` (:class:`TransitionContext`), which the engine runs whichever door was used.
Each transition becomes a public method ``action_<name>`` (unless the model defines one) and
every model gets ``workflow_action``, ``workflow_approve``, ``workflow_reject`` and
``workflow_withdraw`` (:mod:`core.record_actions`), so the APIs reach them through
``ModelService.call``. Steps are seeded as ``workflow.step`` records (``noupdate``) which an admin
edits: approver group or users, N of M, threshold. The engine is :mod:`core.workflow_engine`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .db import model_data_table
from .errors import AddonError
from .i18n import _
from .translate import msgid

if TYPE_CHECKING:
    from .env import Environment
    from .models import BaseModel

__all__ = ["Step", "Transition", "Workflow", "TransitionContext", "workflow_of", "seed_steps"]


@dataclasses.dataclass(frozen=True)
class Step:
    """One approval step of a transition (its defaults; admins edit the seeded data).

    :param name: key of the step within the transition (``manager``)
    :param label: what users see (``_l("Department manager")``)
    :param group: external id of the approvers' group …
    :param resolver: … or a name the ``resolve_approvers`` hook turns into users at run time
    :param required: approvals needed (N of M, 会签); 1 for a plain serial step
    :param threshold_field: with ``threshold``: the step applies only when this field of the
        record is above the threshold (e.g. ``amount_total`` above 50 000; a boolean field
        with threshold 0: only when it is set)
    """

    name: str
    label: Any = None
    group: str | None = None
    resolver: str | None = None
    required: int = 1
    threshold_field: str | None = None
    threshold: Decimal | int | str | None = None

    def __post_init__(self) -> None:
        if not self.group and not self.resolver:
            raise AddonError(_("The approval step %(step)s needs a group or a resolver.",
                               step=self.name))
        if self.required < 1:
            raise AddonError(_("The approval step %(step)s must require at least one approval.",
                               step=self.name))


@dataclasses.dataclass(frozen=True)
class Transition:
    """A move from one of ``source`` to ``to``, possibly through approval steps.

    :param name: key (``submit``); the model gets a public ``action_<name>``
    :param source: state or tuple of states it starts from
    :param to: state it ends in (after the last approval, if any)
    :param label: button label
    :param groups: external ids of the groups allowed to take it (empty: anyone who may write
        the record)
    :param condition: a domain the record must match (``[("amount_total", ">", 0)]``) or a
        callable ``condition(record) -> bool``
    :param approvals: the :class:`Step` objects, in order
    :param allow_self_approval: may the requester approve their own request
    :param reject_to: state a rejection sends the record back to (default: where it started)
    :param pending_state: state the record waits in while approvals are pending (default: it
        stays where it started)
    :param inbox: records in a source state wait for the transition's ``groups`` (a step done
        by a post, e.g. 二审 by the shipping inspector): they count in those users' approvals
        inbox and its counter, as approval requests do
    """

    name: str
    source: str | tuple[str, ...]
    to: str
    label: Any = None
    groups: tuple[str, ...] = ()
    condition: list[Any] | Callable[[Any], bool] | None = None
    approvals: tuple[Step, ...] = ()
    allow_self_approval: bool = False
    reject_to: str | None = None
    pending_state: str | None = None
    inbox: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.source, str):
            object.__setattr__(self, "source", (self.source,))
        if isinstance(self.groups, str):
            object.__setattr__(self, "groups", (self.groups,))
        names = [s.name for s in self.approvals]
        if len(names) != len(set(names)):
            raise AddonError(_("The transition %(name)s has two approval steps with the same "
                               "name.", name=self.name))

    @property
    def sources(self) -> tuple[str, ...]:
        return self.source  # type: ignore[return-value]

    @property
    def method(self) -> str:
        return f"action_{self.name}"


@dataclasses.dataclass(frozen=True)
class TransitionContext:
    """What a transition's callbacks receive (see :func:`core.workflow_engine.take_transition`).

    A model reacts to its transitions with methods named after them, found through ``super()``
    chains like any method, so an addon extending the model adds to them:

    * ``_before_<name>(self, ctx)`` — a user takes the transition: the engine's checks passed
      (groups, state, condition, nothing pending) and nothing is written yet; raise to refuse.
    * ``_after_<name>(self, ctx)`` — the record has just reached ``to`` (at once, or when the
      last approval is given): do the business work here; raising undoes the whole decision.

    Every door (form header, list bulk action, inbox, REST, RPC, Python) goes through the engine,
    so these run whichever door was used; ``action_<name>`` methods only delegate to it.

    :param transition: the transition taken
    :param env: the acting user's own environment (their rights), for checks; the record's
        ``env`` in a callback is the engine's (superuser rights, same user)
    :param from_state: the state the transition started from
    :param comment: the comment (or reason) given with it, if any
    :param options: extra keyword arguments of ``take_transition`` (e.g. ``backorder=False``
        from a model's own action method); empty after an approval
    :param approved: True when the call comes at the end of an approval chain
    """

    transition: Transition
    env: Environment
    from_state: str | None
    comment: str | None = None
    options: dict[str, Any] = dataclasses.field(default_factory=dict)
    approved: bool = False


@dataclasses.dataclass(frozen=True)
class Workflow:
    """The state machine of one model: its state field and its transitions."""

    transitions: tuple[Transition, ...]
    field: str = "state"

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise AddonError(_("A workflow declares the transition %(name)s twice.",
                               name=next(n for n in names if names.count(n) > 1)))

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def states(self, cls: type[BaseModel]) -> list[tuple[str, Any]]:
        info = cls.__fields__.get(self.field)
        return list(info.selection or ()) if info is not None else []

    def initial_state(self, cls: type[BaseModel]) -> str | None:
        info = cls.__fields__.get(self.field)
        default = info.default if info is not None else None
        return default if isinstance(default, str) else None

    def validate(self, cls: type[BaseModel]) -> None:
        """Every state a transition names exists in the field's selection (start-up check); the
        state field becomes read-only for forms and ``fields_get``."""
        info = cls.__fields__.get(self.field)
        if info is None or info.type != "selection":
            raise AddonError(_("The workflow of %(model)s needs a selection field %(field)s.",
                               model=cls._name, field=self.field))
        info.readonly = True  # forms and fields_get show it read-only: transitions change it
        keys = {key for key, _label in info.selection or ()}
        for transition in self.transitions:
            named = {*transition.sources, transition.to, transition.reject_to,
                     transition.pending_state} - {None}
            unknown = sorted(str(s) for s in named - keys)
            if unknown:
                raise AddonError(_("The transition %(name)s of %(model)s names unknown states: "
                                   "%(states)s.", name=transition.name, model=cls._name,
                                   states=", ".join(unknown)))
            for step in transition.approvals:
                if step.threshold_field and step.threshold_field not in cls.__fields__:
                    raise AddonError(_("The step %(step)s of %(model)s compares the unknown "
                                       "field %(field)s.", step=step.name, model=cls._name,
                                       field=step.threshold_field))


def workflow_of(cls: type[BaseModel]) -> Workflow | None:
    """The workflow declared on a composed model class, if any."""
    return getattr(cls, "_workflow", None)


def step_xmlid(cls: type[BaseModel], transition: str, step: str) -> tuple[str, str]:
    """``(addon, name)`` of the external id of a seeded step."""
    addon = cls.__addons__[0] if cls.__addons__ else "base"
    return addon, f"workflow_step_{cls._name.replace('.', '_')}_{transition}_{step}"


def seed_steps(env: Environment, cls: type[BaseModel]) -> int:
    """Create the ``workflow.step`` records a model's declaration implies and that were never
    created (one query when there is nothing to do); a step an admin edited or deleted is left
    alone. Returns how many were created."""
    workflow = workflow_of(cls)
    if workflow is None or "workflow.step" not in env.registry:
        return 0
    wanted = {step_xmlid(cls, t.name, s.name): (t, seq, s) for t in workflow.transitions
              for seq, s in enumerate(t.approvals, start=1)}
    if not wanted:
        return 0
    table = model_data_table
    module = next(iter(wanted))[0]
    existing = set(env.session.scalars(select(table.c.name).where(
        table.c.module == module, table.c.name.in_([name for _m, name in wanted]))))
    from .data import DataLoader

    loader = DataLoader(env, module)
    created = 0
    for (_module, name), (transition, sequence, step) in wanted.items():
        if name in existing:
            continue
        group = loader.resolve(step.group) if step.group else False
        loader.record(f"{module}.{name}", "workflow.step", {
            "name": step.name, "label": str(msgid(step.label) or step.name),
            "res_model": cls._name, "transition": transition.name,
            "sequence": sequence * 10, "group_id": group, "resolver": step.resolver or False,
            "required": step.required, "threshold_field": step.threshold_field or False,
            "threshold": step.threshold if step.threshold is not None else False,
        }, noupdate=True)
        created += 1
    return created
