"""Running workflows: transitions, approval requests, approve / reject / withdraw, the inbox.

A transition without applicable approval steps moves the record at once. Otherwise it opens a
``workflow.request``: the record waits (in the transition's ``pending_state`` if it has one) while
each applicable step collects its approvals (``required`` distinct approvers, N of M); after the
last step the record reaches the transition's target. Reject (reason mandatory) sends it back;
the requester may withdraw until the first approval. Every move is a ``workflow.history`` row.

Approvers of a step are fixed when the step starts: the members of its group (including members of
groups implying it), its listed users, and the users the ``resolve_approvers`` hook returns; the
requester is left out unless the transition allows self-approval.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select

from .caching import ChangeCounter, RegistryCache
from .env import XMLID_CHANGES
from .errors import AccessError, KangyiError, UserError, ValidationError
from .i18n import _
from .integrity import engine_env
from .models import inserted_here, utcnow
from .security import group_names
from .workflow import Transition, TransitionContext, seed_steps, workflow_of

if TYPE_CHECKING:
    from .env import Environment
    from .models import BaseModel

__all__ = ["take_transition", "approve", "reject", "withdraw", "buttons", "Button",
           "bulk_transitions", "take_each", "BulkResult",
           "pending_request", "inbox", "inbox_count", "inbox_total", "inbox_total_query",
           "waiting_steps",
           "WaitingStep", "group_members"]


@dataclasses.dataclass(frozen=True)
class Button:
    """An action a user may take on a record now (see :func:`buttons`)."""

    kind: str  # "transition", "approve", "reject" or "withdraw"
    name: str  # transition name (or the kind)
    label: str
    needs_reason: bool = False


@dataclasses.dataclass
class BulkResult:
    """What :func:`take_each` did: the ids moved and ``(id, name, message)`` per refusal."""

    done: list[int] = dataclasses.field(default_factory=list)
    refused: list[tuple[int, str, str]] = dataclasses.field(default_factory=list)


#: bumped by every transaction that changes approval steps (or deletes the groups and users they
#: name): the steps cached before are stale
STEP_CHANGES = ChangeCounter(4, ("workflow_step", "workflow_step_user_rel"),
                             deletes=("res_groups", "res_users"))
#: ``session.info`` key: the records its transaction opened requests for (:func:`_requested`)
_REQUESTED = "kangyi.workflow_requested"
#: ``(counters, language, model, transition)`` → the transition's active steps, per registry
_STEPS: RegistryCache[tuple[dict[str, Any], ...]] = RegistryCache(512)


# -- looking things up ---------------------------------------------------------------------------


def _model(env: Environment, model: str) -> tuple[type[BaseModel], Any]:
    cls = env[model].cls
    workflow = workflow_of(cls)
    if workflow is None:
        raise UserError(_("%(model)s has no workflow.", model=model))
    return cls, workflow


def _record(env: Environment, model: str, res_id: int, lock: bool = False,
            checked: bool = False) -> BaseModel:
    """The record, after checking the acting user may read it (``checked``: the caller just
    did); with ``lock``, its row is locked until the transaction ends, so two decisions on one
    record run one after the other (two directors approving at once both count)."""
    if not checked:
        env[model]._check_ids([res_id], "read")
    record = env.sudo()[model].browse_unchecked([res_id])[0]
    if lock:  # and re-read: the state checked next is the one the lock's last holder left
        record.lock()
    return record


def _transition(workflow: Any, model: str, name: str) -> Transition:
    transition = workflow.transition(name)
    if transition is None:
        raise UserError(_("%(model)s has no transition %(name)s.", model=model, name=name))
    return transition


def pending_request(env: Environment, model: str, res_id: int) -> Any | None:
    """The pending ``workflow.request`` ORM row of a record, if any (no query for a record this
    transaction inserted: only this session can have opened a request for it)."""
    request = env.registry["workflow.request"]
    if (inserted_here(env.session, env.registry[model], res_id)
            and (model, res_id) not in _requested(env)):
        return None
    return env.session.scalars(select(request).where(
        request.res_model == model, request.res_id == res_id,
        request.state == "pending")).first()


def _requested(env: Environment) -> set[tuple[str, int]]:
    """``(model, id)`` of the records this session's transaction opened requests for (the
    engine is the only door that creates requests)."""
    session = env.session
    memo = session.info.get(_REQUESTED)
    if memo is None or memo[0] is not session.get_transaction():
        memo = session.info[_REQUESTED] = (session.get_transaction(), set())
    return memo[1]


def _pending_for_decision(env: Environment, model: str,
                          res_id: int) -> tuple[Any, bool, bool, int] | None:
    """The pending request of a record, whether its current step waits for ``env``'s user,
    whether anyone approved it yet, and how many other users approved its current step: one
    query (None without a pending request)."""
    request = env.registry["workflow.request"]
    step = env.registry["workflow.step"]
    history = env.registry["workflow.history"]
    others = select(func.count(func.distinct(history.user_id))).where(
        history.request_id == request.id, history.decision == "approve",
        history.user_id != env.uid, history.step == step.name, step.id == request.step_id,
    ).scalar_subquery()
    row = env.session.execute(select(
        request, _waiting_count(env, request), _approval_count(env, request), others).where(
        request.res_model == model, request.res_id == res_id,
        request.state == "pending")).first()
    if row is None:
        return None
    found, waits, approved, done = row
    return found, bool(waits), bool(approved), int(done or 0)


def group_members(env: Environment, group_id: int) -> set[int]:
    """Active users in ``group_id`` or in any group that implies it."""
    groups = env.registry["res.groups"]
    implied = groups.__fields__["implied_ids"]
    implied_rel = groups.metadata.tables[implied.relation or ""]
    users_info = groups.__fields__["users"]
    users_rel = groups.metadata.tables[users_info.relation or ""]
    # the group and every group implying it, transitively (UNION stops at cycles): one query
    closure = select(groups.id.label("gid")).where(groups.id == group_id).cte(
        "closure", recursive=True)
    closure = closure.union(select(implied_rel.c[implied.column1 or ""]).join(
        closure, implied_rel.c[implied.column2 or ""] == closure.c.gid))
    users = env.registry["res.users"]
    return set(env.session.scalars(
        select(users_rel.c[users_info.column2 or ""]).join(
            users.__table__, users.__table__.c.id == users_rel.c[users_info.column2 or ""])
        .where(users_rel.c[users_info.column1 or ""].in_(select(closure.c.gid)),
               users.active.is_(True))))


def _steps(env: Environment, cls: type[BaseModel], transition: Transition,
           record: BaseModel) -> list[dict[str, Any]]:
    """The active ``workflow.step`` rows of ``transition`` that apply to ``record``, in order."""
    return [row for row in _transition_steps(env, cls, transition) if _step_applies(row, record)]


def _transition_steps(env: Environment, cls: type[BaseModel],
                      transition: Transition) -> tuple[dict[str, Any], ...]:
    """Every active step of ``transition``, cached per registry while no transaction changes the
    steps (:data:`STEP_CHANGES`) or external ids (the seeding check); read again otherwise."""
    conn = env.session.connection()
    key = (STEP_CHANGES.value(conn), XMLID_CHANGES.value(conn), env.lang, cls._name,
           transition.name)
    if None in key:
        return _read_steps(env, cls, transition)
    return _STEPS.get(env.registry, key, lambda: _read_steps(env, cls, transition),
                      keep=lambda: (STEP_CHANGES.value(conn), XMLID_CHANGES.value(conn))
                      == key[:2])


def _read_steps(env: Environment, cls: type[BaseModel],
                transition: Transition) -> tuple[dict[str, Any], ...]:
    steps = env.sudo()["workflow.step"]
    domain = [("res_model", "=", cls._name), ("transition", "=", transition.name)]
    if transition.approvals:  # steps added by an upgrade since the install
        seed_steps(env.sudo(), cls)
    return tuple(steps.search_read(domain, ["name", "label", "group_id", "user_ids", "resolver",
                                            "required", "threshold_field", "threshold"],
                                   order="sequence, id"))


def _all_steps(env: Environment) -> Any:
    """``workflow.step`` as the engine sees it: every row, archived ones included."""
    return env.sudo().with_context(active_test=False)["workflow.step"]


def _step_applies(step: dict[str, Any], record: BaseModel) -> bool:
    field, threshold = step["threshold_field"], step["threshold"]
    if not field or threshold is None:
        return True
    value = getattr(record, field, None)
    if isinstance(value, bool):  # a flag: the step applies when it is set (threshold 0)
        value = int(value)
    return Decimal(str(value or 0)) > Decimal(str(threshold))


def _condition_holds(env: Environment, transition: Transition, record: BaseModel) -> bool:
    condition = transition.condition
    if condition is None:
        return True
    if callable(condition):
        return bool(condition(record))
    return bool(env.sudo()[record._name].search_count([("id", "=", record.id), *condition]))


def _approvers(env: Environment, record: BaseModel, step: dict[str, Any],
               transition: Transition, requester: int | None) -> list[int]:
    users = set(step["user_ids"])
    if step["group_id"]:
        users |= group_members(env, step["group_id"][0])
    if step["resolver"]:
        resolved = env.registry.pm.hook.resolve_approvers(env=env.sudo(), record=record,
                                                          step=step["resolver"])
        users |= {int(u) for u in resolved or ()}
    if not transition.allow_self_approval:
        users.discard(requester)
    return sorted(users)


# -- moving ------------------------------------------------------------------------------------


def _log(env: Environment, record: BaseModel, transition: str, decision: str,
         from_state: str | None, to_state: str | None, comment: str | None = None,
         request: Any = None, step: str | None = None) -> None:
    env.registry["workflow.history"].add_unflushed(env, [{
        "res_model": record._name, "res_id": record.id, "transition": transition,
        "decision": decision, "from_state": from_state, "to_state": to_state,
        "comment": (comment or "").strip() or None, "user_id": env.uid, "date": utcnow(),
        "request_id": request.id if request is not None else None, "step": step}])


def _set_state(env: Environment, record: BaseModel, field: str, state: str) -> None:
    engine_env(env)[record._name].write([record.id], {field: state})


def _callback(env: Environment, record: BaseModel, when: str, ctx: TransitionContext) -> None:
    """Run the record's ``_<when>_<transition>(ctx)`` if its model defines one, with the
    engine's environment as the record's ``env``."""
    method = getattr(record, f"_{when}_{ctx.transition.name}", None)
    if method is None:
        return
    with engine_env(env)[record._name]._acting():
        method(ctx)


def _arrive(env: Environment, record: BaseModel, field: str, ctx: TransitionContext) -> None:
    """The record reaches the transition's target: write the state, then ``_after_<name>``."""
    _set_state(env, record, field, ctx.transition.to)
    _callback(env, record, "after", ctx)


def _step_approvers(env: Environment, record: BaseModel, step: dict[str, Any],
                    transition: Transition, requester: int | None) -> list[int]:
    """The approvers of ``step`` (refused when fewer than it requires)."""
    approvers = _approvers(env, record, step, transition, requester)
    if len(approvers) < (step["required"] or 1):
        raise UserError(_("Nobody can approve the step %(step)s of %(name)s: it needs "
                          "%(n)s approver(s) other than the requester. Ask an administrator to "
                          "set its approvers.", step=step["label"] or step["name"],
                          name=record.display_name, n=step["required"] or 1))
    return approvers


def _open_step(env: Environment, request: Any, record: BaseModel, step: dict[str, Any],
               transition: Transition, approvers: list[int] | None = None) -> None:
    """``step`` waits for its approvers (``approvers``: given for a request just created with
    that step, which has no approvers to replace yet)."""
    rel = _approver_table(env)
    if approvers is None:
        approvers = _step_approvers(env, record, step, transition, request.requester_id)
        request.step_id = step["id"]
        env.session.execute(delete(rel).where(rel.c.request_id == request.id))
    env.session.execute(insert(rel), [{"request_id": request.id, "user_id": uid}
                                      for uid in approvers])
    from .mail.workflow import approval_waiting  # in-app and e-mail (core/mail)

    approval_waiting(env, record, approvers, transition, request.requester_id)


def _approver_table(env: Environment) -> Any:
    return env.registry["workflow.request"].metadata.tables["workflow_request_approver_rel"]


def _may_start(env: Environment, transition: Transition, may_write: bool) -> bool:
    """Transition groups decide who may start it; without groups, write access does."""
    if not transition.groups:
        return may_write
    return env.access.is_admin or any(env.access.has_group(g) for g in transition.groups)


def _waiting_count(env: Environment, request: Any) -> Any:
    """How many approver rows of the request's current step are ``env``'s user (0 or 1)."""
    rel = _approver_table(env)
    return select(func.count()).select_from(rel).where(
        rel.c.request_id == request.id, rel.c.user_id == env.uid).scalar_subquery()


def _approval_count(env: Environment, request: Any) -> Any:
    """How many approvals the request collected so far."""
    history = env.registry["workflow.history"]
    return select(func.count()).select_from(history).where(
        history.request_id == request.id, history.decision == "approve").scalar_subquery()


def take_transition(env: Environment, model: str, res_id: int, name: str,
                    comment: str | None = None, **options: Any) -> str:
    """Take transition ``name`` on a record as ``env``'s user; returns the state afterwards.

    Runs the model's ``_before_<name>`` callback, then either moves the record (and runs
    ``_after_<name>``) or opens the approval request; ``options`` reach the callbacks.
    """
    cls, workflow = _model(env, model)
    transition = _transition(workflow, model, name)
    record = _record(env, model, res_id, lock=True)
    if not transition.groups:
        env[model]._check_ids([res_id], "write")
    elif not _may_start(env, transition, False):
        raise AccessError(_("Only %(groups)s may %(action)s %(name)s.",
                            groups=group_names(env, transition.groups),
                            action=str(transition.label or name), name=record.display_name))
    state = getattr(record, workflow.field)
    if pending_request(env, model, res_id) is not None:
        raise UserError(_("%(name)s is waiting for approval; approve, reject or withdraw that "
                          "request first.", name=record.display_name))
    if state not in transition.sources:
        raise UserError(_("%(action)s is not possible while %(name)s is in the state "
                          "%(state)s.", action=str(transition.label or name),
                          name=record.display_name, state=state))
    if not _condition_holds(env, transition, record):
        raise UserError(_("%(name)s does not meet the condition of %(action)s.",
                          name=record.display_name, action=str(transition.label or name)))
    ctx = TransitionContext(transition, env, state, comment, dict(options))
    _callback(env, record, "before", ctx)
    steps = _steps(env, cls, transition, record)
    if not steps:
        _arrive(env, record, workflow.field, ctx)
        _log(env, record, name, "transition", state, transition.to, comment)
        return transition.to
    approvers = _step_approvers(env, record, steps[0], transition, env.uid)
    _requested(env).add((model, res_id))
    request = env.registry["workflow.request"].create(env, [{
        "res_model": model, "res_id": res_id, "res_name": record.display_name,
        "transition": name, "from_state": state, "state": "pending",
        "requester_id": env.uid, "step_id": steps[0]["id"]}])[0]
    _open_step(env, request, record, steps[0], transition, approvers)
    waiting = transition.pending_state or state
    if waiting != state:
        _set_state(env, record, workflow.field, waiting)
    _log(env, record, name, "submit", state, waiting, comment, request, steps[0]["name"])
    return waiting


def take_each(env: Environment, model: str, ids: list[int], name: str,
              comment: str | None = None,
              commit: Callable[[], None] | None = None) -> BulkResult:
    """Take transition ``name`` on each record of ``ids`` separately (a bulk action).

    Each record runs in its own savepoint, then ``commit`` (e.g. ``session.commit``) makes it a
    transaction of its own: a refused record keeps nothing of its attempt and does not undo the
    others. Refusals carry the engine's translated message.
    """
    _transition(_model(env, model)[1], model, name)
    service = env[model]
    readable = service.search([("id", "in", list(ids))])
    names = service.display_names(readable) if readable else {}
    result = BulkResult()
    for res_id in ids:
        try:
            with env.session.begin_nested():
                take_transition(env, model, res_id, name, comment)
        except KangyiError as exc:
            result.refused.append((res_id, names.get(res_id, f"#{res_id}"), exc.message))
        else:
            result.done.append(res_id)
        if commit is not None:
            commit()
    return result


@dataclasses.dataclass
class _Pending:
    """A record's pending request as a decision on it sees it (:func:`_pending_for_decision`)."""

    request: Any
    transition: Transition
    record: BaseModel
    waits: bool  # its current step waits for the acting user
    approved: bool  # someone approved it already
    others: int  # other users who approved its current step


def _my_request(env: Environment, model: str, res_id: int) -> _Pending:
    record = _record(env, model, res_id, lock=True)
    found = _pending_for_decision(env, model, res_id)
    if found is None:
        raise UserError(_("%(name)s is not waiting for approval.", name=record.display_name))
    request, waits, approved, others = found
    return _Pending(request, _transition(workflow_of(record.__class__), model,
                                         request.transition), record, waits, approved, others)


def _check_approver(env: Environment, pending: _Pending) -> None:
    request, transition, record = pending.request, pending.transition, pending.record
    if request.requester_id == env.uid and not transition.allow_self_approval:
        raise AccessError(_("You cannot approve or reject your own request for %(name)s.",
                            name=record.display_name))
    if not pending.waits:
        raise AccessError(_("You are not among the approvers of the current step of %(name)s.",
                            name=record.display_name))


def approve(env: Environment, model: str, res_id: int, comment: str | None = None) -> str:
    """Approve the current step as ``env``'s user; returns the record's state afterwards."""
    pending = _my_request(env, model, res_id)
    _check_approver(env, pending)
    request, transition, record = pending.request, pending.transition, pending.record
    workflow = workflow_of(record.__class__)
    step = [s for s in _transition_steps(env, record.__class__, transition)
            if s["id"] == request.step_id] or _all_steps(env).search_read(
        [("id", "=", request.step_id)], ["name", "required"])  # archived since it opened
    step_name = step[0]["name"] if step else None
    state = getattr(record, workflow.field)
    _log(env, record, transition.name, "approve", state, state, comment, request, step_name)
    rel = _approver_table(env)
    done = pending.others + 1  # this user, who was waited for, had not approved the step yet
    if step and done < (step[0]["required"] or 1):
        env.session.execute(delete(rel).where(rel.c.request_id == request.id,
                                              rel.c.user_id == env.uid))
        return state
    # the step is done: the next one replaces its approvers, or the request closes
    steps = _steps(env, record.__class__, transition, record)
    ids = [s["id"] for s in steps]
    later = steps[ids.index(request.step_id) + 1:] if request.step_id in ids else []
    if later:
        _open_step(env, request, record, later[0], transition)
        return state
    request.state = "approved"
    env.session.execute(delete(rel).where(rel.c.request_id == request.id))
    _arrive(env, record, workflow.field, TransitionContext(
        transition, env, request.from_state, comment, approved=True))
    _log(env, record, transition.name, "transition", state, transition.to, None, request)
    from .mail.workflow import request_decided

    request_decided(env, record, transition, request.requester_id, approved=True)
    return transition.to


def reject(env: Environment, model: str, res_id: int, reason: str) -> str:
    """Reject the pending request with a (mandatory) reason; returns the state afterwards."""
    if not (reason or "").strip():
        raise ValidationError(_("A rejection needs a reason."), field="reason")
    pending = _my_request(env, model, res_id)
    _check_approver(env, pending)
    request, transition, record = pending.request, pending.transition, pending.record
    state = _close(env, request, transition, record, "rejected", "reject", reason,
                   transition.reject_to or request.from_state)
    from .mail.workflow import request_decided

    request_decided(env, record, transition, request.requester_id, approved=False, reason=reason)
    return state


def withdraw(env: Environment, model: str, res_id: int) -> str:
    """The requester takes the request back before anyone approved it."""
    pending = _my_request(env, model, res_id)
    request, transition, record = pending.request, pending.transition, pending.record
    if request.requester_id != env.uid:
        raise AccessError(_("Only the requester may withdraw the request for %(name)s.",
                            name=record.display_name))
    if pending.approved:
        raise UserError(_("The request for %(name)s was already approved in part; it can no "
                          "longer be withdrawn.", name=record.display_name))
    return _close(env, request, transition, record, "withdrawn", "withdraw", None,
                  request.from_state)


def _close(env: Environment, request: Any, transition: Transition, record: BaseModel,
           status: str, decision: str, comment: str | None, to_state: str) -> str:
    workflow = workflow_of(record.__class__)
    state = getattr(record, workflow.field)
    request.state = status
    rel = _approver_table(env)
    env.session.execute(delete(rel).where(rel.c.request_id == request.id))
    if to_state != state:
        _set_state(env, record, workflow.field, to_state)
    _log(env, record, transition.name, decision, state, to_state, comment, request)
    return to_state


def cancel_requests(env: Environment, model: str, ids: list[int]) -> None:
    """Records are being deleted: their pending requests leave every inbox."""
    request = env.registry["workflow.request"]
    rows = list(env.session.scalars(select(request).where(
        request.res_model == model, request.res_id.in_(ids), request.state == "pending")))
    for row in rows:
        row.state = "cancelled"
    if rows:
        rel = _approver_table(env)
        env.session.execute(delete(rel).where(rel.c.request_id.in_([r.id for r in rows])))
    env.session.flush()


# -- what a user may do ------------------------------------------------------------------------


def buttons(env: Environment, model: str, res_id: int, checked: bool = False) -> list[Button]:
    """The workflow actions ``env``'s user may take on the record now, for form headers
    (``checked``: the caller has just checked that the user may read it)."""
    cls = env[model].cls
    workflow = workflow_of(cls)
    if workflow is None:
        return []
    record = _record(env, model, res_id, checked=checked)
    request = pending_request(env, model, res_id)
    if request is not None:
        return _request_buttons(env, request, workflow, record)
    state = getattr(record, workflow.field)
    may_write = env.access.allowed(model, "write")
    result = []
    for transition in workflow.transitions:
        if state not in transition.sources or not _may_start(env, transition, may_write):
            continue
        if _condition_holds(env, transition, record):
            result.append(Button("transition", transition.name,
                                 str(transition.label or transition.name)))
    return result


def bulk_transitions(env: Environment, model: str) -> list[tuple[str, str]]:
    """``(name, label)`` of the transitions ``env``'s user may start on records of ``model``
    (groups and write access only: state and conditions are checked per record)."""
    workflow = workflow_of(env[model].cls)
    if workflow is None:
        return []
    may_write = env.access.allowed(model, "write")
    return [(t.name, str(t.label or t.name)) for t in workflow.transitions
            if _may_start(env, t, may_write)]


def _request_buttons(env: Environment, request: Any, workflow: Any,
                     record: BaseModel) -> list[Button]:
    transition = workflow.transition(request.transition)
    # does the step wait for this user, did anyone approve yet: one query for both
    waits, approved = env.session.execute(select(_waiting_count(env, request),
                                                 _approval_count(env, request))).one()
    result = []
    if transition and waits and (
            request.requester_id != env.uid or transition.allow_self_approval):
        result += [Button("approve", "approve", _("Approve")),
                   Button("reject", "reject", _("Reject"), needs_reason=True)]
    if request.requester_id == env.uid and not approved:
        result.append(Button("withdraw", "withdraw", _("Withdraw")))
    return result


def inbox_query(env: Environment) -> Any:
    request = env.registry["workflow.request"]
    rel = _approver_table(env)
    return select(request.id).join(rel, rel.c.request_id == request.id).where(
        rel.c.user_id == env.uid, request.state == "pending")


def inbox_count(env: Environment) -> int:
    """How many documents wait for ``env``'s user to approve (one COUNT query)."""
    if env.uid is None or "workflow.request" not in env.registry:
        return 0
    return env.session.scalar(select(func.count()).select_from(
        inbox_query(env).subquery())) or 0


@dataclasses.dataclass(frozen=True)
class WaitingStep:
    """Records waiting in a state for a transition the user may take (``Transition.inbox``)."""

    model: str
    model_label: str
    transition: str
    label: str
    count: int
    domain: list[Any]


def _inbox_transitions(env: Environment) -> Iterator[tuple[str, Any, Transition, list[Any]]]:
    """``(model, class, transition, domain)`` of the inbox transitions the user may take on
    models they may read: the domain finds the records waiting for it."""
    if env.uid is None:
        return
    access = env.access
    for name, cls in sorted(env.registry.models.items()):
        workflow = workflow_of(cls)
        if workflow is None or not access.allowed(name, "read"):
            continue
        for transition in workflow.transitions:
            if not transition.inbox or not _may_start(env, transition, False):
                continue
            domain: list[Any] = [(workflow.field, "in", list(transition.sources))]
            if isinstance(transition.condition, list):
                domain += transition.condition
            yield name, cls, transition, domain


def waiting_steps(env: Environment) -> list[WaitingStep]:
    """The inbox transitions of every workflow the user may take, with how many records they
    may read wait for each (one COUNT per such transition, record rules applied)."""
    steps = []
    for name, cls, transition, domain in _inbox_transitions(env):
        count = env[name].search_count(domain)
        if count:
            steps.append(WaitingStep(name, str(cls._description or name), transition.name,
                                     str(transition.label or transition.name), count, domain))
    return steps


def inbox_total_query(env: Environment) -> Any | None:
    """:func:`inbox_total` as one scalar SQL expression (None: nothing can wait for the user):
    the sum of the inbox's COUNT and each inbox transition's, record rules applied."""
    if env.uid is None:
        return None
    parts = [select(func.count()).select_from(inbox_query(env).subquery()).scalar_subquery()
             ] if "workflow.request" in env.registry else []
    for name, cls, _transition, domain in _inbox_transitions(env):
        waiting = select(cls.id).where(env[name].where_clause(domain)).subquery()
        parts.append(select(func.count()).select_from(waiting).scalar_subquery())
    return functools.reduce(operator.add, parts) if parts else None


def inbox_total(env: Environment) -> int:
    """Approval requests waiting for the user, and records waiting for their inbox steps (one
    query)."""
    query = inbox_total_query(env)
    return int(env.session.scalar(select(query)) or 0) if query is not None else 0


def inbox(env: Environment, offset: int = 0, limit: int = 80) -> list[dict[str, Any]]:
    """The pending requests waiting for ``env``'s user, newest first, with their step and
    requester (a fixed number of queries whatever the page size)."""
    request = env.registry["workflow.request"]
    ids = list(env.session.scalars(inbox_query(env).order_by(request.id.desc())
                                   .offset(offset).limit(limit)))
    rows = env.sudo()["workflow.request"].search_read(  # the ids just found: one query
        [("id", "in", ids)], ["res_model", "res_id", "res_name", "transition", "step_id",
                              "requester_id", "create_date"], order="id desc")
    for row in rows:
        cls = env.registry.models.get(row["res_model"])
        workflow = workflow_of(cls) if cls is not None else None
        transition = workflow.transition(row["transition"]) if workflow else None
        row["model_label"] = str(cls._description or cls._name) if cls else row["res_model"]
        row["transition_label"] = str(transition.label or transition.name) if transition else (
            row["transition"])
    return rows
