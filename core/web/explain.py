""""Explain access" for administrators: why a user can or cannot read/write a record.

For each operation it lists the access rights that grant it (or says none does), then each record
rule that applies to the user, and whether the record satisfies it; global rules must all hold,
and at least one group rule must hold when there are any.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import abort, g, render_template, request
from flask_login import login_required
from sqlalchemy import func, select

from ..domain import compile_domain
from ..env import Environment
from ..errors import KangyiError
from ..i18n import _
from ..security import OPERATIONS
from . import blueprint


@dataclasses.dataclass
class RuleCheck:
    name: str
    domain: list[Any]
    is_global: bool
    matches: bool | None


@dataclasses.dataclass
class Verdict:
    """The decision for one operation, with the rows and rules that made it."""

    operation: str
    allowed: bool
    by_admin: bool
    rights: list[str]
    rules: list[RuleCheck]
    reason: str


def _rights(env: Environment, user_env: Environment, model: str, operation: str) -> list[str]:
    access = env.registry["ir.model.access"].__table__
    groups = env.registry["res.groups"].__table__
    group_ids = user_env.access.group_ids
    cond = access.c.group_id.is_(None)
    if group_ids:
        cond = cond | access.c.group_id.in_(group_ids)
    rows = env.session.execute(
        select(access.c.name, groups.c.name.label("group")).select_from(
            access.outerjoin(groups, groups.c.id == access.c.group_id))
        .where(access.c.model == model, access.c.active.is_(True),
               access.c[f"perm_{operation}"].is_(True), cond))
    return [f"{row.name} ({_(row.group) if row.group else _('everyone')})" for row in rows]


def _rule_checks(user_env: Environment, model: str, operation: str,
                 record_id: int | None) -> list[RuleCheck]:
    cls = user_env.registry[model]
    checks = []
    for name, domain, is_global in user_env.access._rules(model, operation):
        matches = None
        if record_id is not None:
            where = compile_domain(cls, domain)
            matches = bool(user_env.session.scalar(
                select(func.count()).select_from(cls.__table__)
                .where(cls.__table__.c.id == record_id, where)))
        checks.append(RuleCheck(str(name), domain, is_global, matches))
    return checks


def explain(env: Environment, user_id: int, model: str, record_id: int | None) -> list[Verdict]:
    """The verdict of each operation for ``user_id`` on ``model`` (and ``record_id``)."""
    user_env = env(uid=user_id, su=False)
    verdicts = []
    for operation in OPERATIONS:
        by_admin = user_env.access.is_admin
        rights = _rights(env, user_env, model, operation)
        rules = [] if by_admin else _rule_checks(user_env, model, operation, record_id)
        granted = by_admin or bool(rights)
        global_ok = all(r.matches is not False for r in rules if r.is_global)
        group_rules = [r for r in rules if not r.is_global]
        group_ok = not group_rules or any(r.matches is not False for r in group_rules)
        allowed = granted and global_ok and group_ok
        if by_admin:
            reason = _("The user is an administrator: every access is granted, no rule applies.")
        elif not granted:
            reason = _("No access right of the user's groups grants this operation.")
        elif not global_ok:
            reason = _("A global record rule excludes this record.")
        elif not group_ok:
            reason = _("None of the group record rules includes this record.")
        elif record_id is None:
            reason = _("Granted by the access rights; the rules listed limit which records.")
        else:
            reason = _("Granted by the access rights, and the record passes the rules.")
        verdicts.append(Verdict(operation, allowed, by_admin, rights, rules, reason))
    return verdicts


@blueprint.route("/web/admin/explain")
@login_required
def explain_access() -> Any:
    env = g.env
    if not env.access.is_admin:
        abort(403, _("Only administrators may see how access is decided."))
    users = env["res.users"].search_read([], ["login", "name"], order="login")
    models = sorted(env.registry)
    verdicts, groups, error = None, [], None
    args = request.args
    user_id = args.get("user", type=int)
    model = args.get("model", "")
    record_id = args.get("record", type=int)
    if user_id and model:
        if model not in env.registry:
            abort(404, _("The model %(model)s does not exist (is its addon installed?).",
                         model=model))
        try:
            if record_id is not None:
                env[model].sudo()._check_ids([record_id], "read")
            verdicts = explain(env, user_id, model, record_id)
            user_env = env(uid=user_id, su=False)
            groups = env["res.groups"].sudo().read(sorted(user_env.access.group_ids), ["name"])
        except KangyiError as exc:
            error = exc.message
    return render_template("web/explain.html", users=users, models=models, verdicts=verdicts,
                           groups=groups, user_id=user_id, model=model, record_id=record_id,
                           error=error)
