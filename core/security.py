"""Access control: model access per group, record rules, field groups.

Addons declare groups, access rights and rules as frozen dataclasses from the hooks
``register_groups``, ``register_access`` and ``register_rules``; installing the addon stores them
(with external ids) so an admin can edit them, and uninstalling removes them. At run time
:class:`AccessControl` answers for one environment, with a handful of cached queries.

Semantics (Odoo's): access is additive over the user's groups (implied groups included) and denied
by default; global rules (no group) AND together, group rules OR together; the superuser bypasses
all of it.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select

from .caching import ChangeCounter, RegistryCache, shared
from .db import model_data_table
from .domain import OR, compile_domain
from .errors import AccessError, ValidationError
from .i18n import _, _l

if TYPE_CHECKING:
    from .env import Environment
    from .fields import FieldInfo
    from .models import BaseModel

__all__ = ["Group", "Access", "Rule", "AccessControl", "eval_domain", "grant", "group_names",
           "OPERATIONS", "FULL", "SCOPE_ALL"]

OPERATIONS = ("read", "write", "create", "unlink")
#: every operation, for ``grant(..., **FULL)``
FULL = dict.fromkeys(OPERATIONS, True)
ADMIN_GROUP = "base.group_system"
#: what the ``data_scope`` hook answers for a user who may see every record of a model
SCOPE_ALL = "all"

#: bumped by every transaction that writes groups, memberships, implications, access rights,
#: rules or external ids (a group's xmlid), or deletes a user (SQLite may reuse the id)
SECURITY_CHANGES = ChangeCounter(
    2, ("res_groups", "res_groups_users_rel", "res_groups_implied_rel", "ir_model_access",
        "ir_rule", "rule_group_rel", model_data_table.name), deletes=("res_users",))
#: a user's groups, the rights of a set of groups, every rule: shared by the requests of a
#: process under the registry and the security counter (entries of older counters age out)
_SHARED: RegistryCache[Any] = RegistryCache(1024)


@dataclasses.dataclass(frozen=True)
class Group:
    """A group of users, usually a post (岗位) such as ``sales.group_assistant``."""

    xmlid: str
    name: Any
    category: Any = ""
    implied: tuple[str, ...] = ()
    comment: Any = ""


@dataclasses.dataclass(frozen=True)
class Access:
    """Operations a group (or everyone, when ``group`` is None) may perform on a model."""

    xmlid: str
    model: str
    group: str | None
    read: bool = True
    write: bool = False
    create: bool = False
    unlink: bool = False


def grant(addon: str, models: Iterable[str], group: str | None, suffix: str | None = None,
          **operations: bool) -> list[Access]:
    """The same rights on each of ``models`` for ``group`` (read only unless ``operations`` say).

    External ids read ``<addon>.access_<model>_<suffix>``, the model's dots made underscores and
    the suffix by default the group's post: ``sales.group_manager`` → ``manager``.
    """
    if suffix is None:
        suffix = (group or "everyone").split(".group_", 1)[-1]
    return [Access(f"{addon}.access_{model.replace('.', '_')}_{suffix}", model, group, **operations)
            for model in models]


def group_names(env: Environment, xmlids: Iterable[str]) -> str:
    """Groups named by external id as users know them: their names, translated, joined by
    commas (a refusal says "Only Fleet managers may …", never ``fleet.group_manager``)."""
    names = []
    for xmlid in xmlids:
        group = env.sudo().ref(xmlid, raise_if_not_found=False)
        names.append(_(group.name) if group is not None else xmlid)
    return ", ".join(names)


@dataclasses.dataclass(frozen=True)
class Rule:
    """A record rule: a domain (Python literal, may use ``user``) limiting the rows visible."""

    xmlid: str
    name: Any
    model: str
    domain: str
    groups: tuple[str, ...] = ()
    read: bool = True
    write: bool = True
    create: bool = True
    unlink: bool = True


class _UserProxy:
    """What a rule domain may read of the user: ``user.id``, ``user.company_id``…"""

    def __init__(self, env: Environment) -> None:
        self._env = env

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name == "id":  # most rules need only this: no need to load the user
            return self._env.uid
        value = getattr(self._env.user, name)
        return value if isinstance(value, (int, str, bool, type(None))) else None


@lru_cache(maxsize=1024)
def _parsed(text: str) -> ast.Expression | None:
    """The syntax tree of a rule domain (parsed once per process; None: not Python)."""
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return None


def eval_domain(text: str, names: dict[str, Any]) -> list[Any]:
    """Evaluate a rule domain: literals, lists/tuples, names in ``names`` and their attributes."""
    tree = _parsed(text)
    if tree is None:
        raise ValidationError(_("Invalid rule domain %(domain)r.", domain=text))

    def value(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [value(e) for e in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.Attribute) and not node.attr.startswith("_"):
            return getattr(value(node.value), node.attr)
        raise ValidationError(_("Rule domains may only use literals and %(names)s.",
                                names=", ".join(sorted(names))))

    result = value(tree.body)
    if not isinstance(result, list):
        raise ValidationError(_("A rule domain must be a list."))
    return result


class AccessControl:
    """The access decisions of one environment; each query runs at most once per environment."""

    def __init__(self, env: Environment) -> None:
        self.env = env

    def _shared(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """``make()``, or what it made for another request under the same security counter."""
        return shared(self.env, SECURITY_CHANGES, _SHARED, key, make)

    # -- groups -------------------------------------------------------------------------------

    @cached_property
    def _groups(self) -> dict[int, str | None]:
        """The user's groups, implied groups included, with their external ids."""
        if self.env.uid is None:
            return {}
        return self._shared(("groups", self.env.uid), self._read_groups)

    def _read_groups(self) -> dict[int, str | None]:
        """One recursive query over the membership and implication tables."""
        groups = self.env.registry["res.groups"]
        users = groups.__fields__["users"]
        users_rel = groups.metadata.tables[users.relation or ""]
        implied = groups.__fields__["implied_ids"]
        implied_rel = groups.metadata.tables[implied.relation or ""]
        closure = (select(users_rel.c[users.column1 or ""].label("gid"))
                   .where(users_rel.c[users.column2 or ""] == self.env.uid)
                   .cte("closure", recursive=True))
        closure = closure.union(
            select(implied_rel.c[implied.column2 or ""])
            .join(closure, closure.c.gid == implied_rel.c[implied.column1 or ""]))
        imd = model_data_table
        rows = self.env.session.execute(
            select(closure.c.gid, imd.c.module, imd.c.name)
            .outerjoin(imd, and_(imd.c.model == "res.groups", imd.c.res_id == closure.c.gid)))
        result: dict[int, str | None] = {}
        for gid, module, name in rows:
            if name is not None or gid not in result:
                result[gid] = f"{module}.{name}" if name is not None else None
        return result

    @cached_property
    def group_ids(self) -> frozenset[int]:
        """The user's groups, implied groups included."""
        return frozenset(self._groups)

    @cached_property
    def group_xmlids(self) -> frozenset[str]:
        return frozenset(x for x in self._groups.values() if x)

    def has_group(self, xmlid: str) -> bool:
        return self.env.su or xmlid in self.group_xmlids

    @property
    def is_admin(self) -> bool:
        return self.env.su or ADMIN_GROUP in self.group_xmlids

    # -- model access ---------------------------------------------------------------------------

    @cached_property
    def _granted(self) -> frozenset[tuple[str, str]]:
        return self._shared(("granted", self.group_ids), self._read_granted)

    def _read_granted(self) -> frozenset[tuple[str, str]]:
        access = self.env.registry["ir.model.access"]
        table = access.__table__
        group_cond = table.c.group_id.is_(None)
        if self.group_ids:
            group_cond = or_(group_cond, table.c.group_id.in_(self.group_ids))
        rows = self.env.session.execute(select(
            table.c.model, table.c.perm_read, table.c.perm_write, table.c.perm_create,
            table.c.perm_unlink).where(table.c.active.is_(True), group_cond))
        granted = set()
        for row in rows:
            for op, flag in zip(OPERATIONS, row[1:], strict=True):
                if flag:
                    granted.add((row.model, op))
        return frozenset(granted)

    def allowed(self, model: str, operation: str) -> bool:
        """May the user perform ``operation`` on ``model`` at all (before record rules)?"""
        return self.is_admin or (model, operation) in self._granted

    def check(self, model: str, operation: str) -> None:
        """Raise :class:`AccessError` naming the model and operation unless allowed."""
        if not self.allowed(model, operation):
            raise AccessError(_(
                "You are not allowed to %(operation)s records of %(model)s: no access right of "
                "your groups grants it.", operation=str(_OP_LABELS.get(operation, operation)),
                model=model), model=model, operation=operation)

    # -- record rules ---------------------------------------------------------------------------

    def _rules(self, model: str, operation: str) -> list[tuple[str, list[Any], bool]]:
        """``(name, domain, is_global)`` of the active rules on ``model`` for ``operation``
        that concern the user."""
        cache = self.__dict__.setdefault("_rule_cache", {})
        key = (model, operation)
        if key not in cache:
            names = {"user": _UserProxy(self.env), "uid": self.env.uid, "True": True,
                     "False": False, "None": None}
            cache[key] = [(name, eval_domain(domain, names), not groups)
                          for name, domain, groups in self._all_rules.get(key, ())
                          if not groups or groups & self.group_ids]
        return cache[key]

    @cached_property
    def _all_rules(self) -> dict[tuple[str, str], list[tuple[str, str, frozenset[int]]]]:
        """Every active rule by model and operation, with its groups."""
        return self._shared(("rules",), self._read_rules)

    def _read_rules(self) -> dict[tuple[str, str], list[tuple[str, str, frozenset[int]]]]:
        """One query."""
        rule_cls = self.env.registry["ir.rule"]
        table = rule_cls.__table__
        info = rule_cls.__fields__["groups"]
        rel = rule_cls.metadata.tables[info.relation or ""]
        rule_col, group_col = rel.c[info.column1 or ""], rel.c[info.column2 or ""]
        perms = [table.c[f"perm_{op}"] for op in OPERATIONS]
        rows = self.env.session.execute(
            select(table.c.id, table.c.model, table.c.name, table.c.domain_force, *perms,
                   group_col)
            .outerjoin(rel, rule_col == table.c.id)
            .where(table.c.active.is_(True)).order_by(table.c.id))
        rules: dict[int, tuple[Any, set[int]]] = {}
        for row in rows:
            _row, groups = rules.setdefault(row[0], (row, set()))
            if row[-1] is not None:
                groups.add(row[-1])
        result: dict[tuple[str, str], list[tuple[str, str, frozenset[int]]]] = {}
        for row, groups in rules.values():
            for op, allowed in zip(OPERATIONS, row[4:8], strict=True):
                if allowed:
                    result.setdefault((row.model, op), []).append(
                        (row.name, row.domain_force, frozenset(groups)))
        return result

    def rule_expression(self, model_cls: type[BaseModel], operation: str) -> Any | None:
        """The SQL condition of the rules on ``model_cls`` for ``operation`` (None if no rule
        restricts it: a rule whose domain is always true, such as a manager's ``[(1, '=', 1)]``,
        lifts the group rules it is ORed with and adds nothing to the global ones)."""
        if self.env.su:
            return None
        rules = self._rules(model_cls._name, operation)
        scope = self.scope_domain(model_cls)
        global_parts = [compile_domain(model_cls, d) for _n, d, is_global in rules
                        if is_global and not _always_true(d)]
        group_rules = ([d for _n, d, is_global in rules if not is_global] if scope is None
                       else [scope])
        if group_rules and not any(_always_true(d) for d in group_rules):
            global_parts.append(or_(*(compile_domain(model_cls, d) for d in group_rules)))
        document = self._document(model_cls)
        if document is not None:
            field, doc_cls = document
            doc_rule = self.rule_expression(doc_cls, operation)
            if doc_rule is not None:
                global_parts.append(model_cls.__table__.c[field].in_(
                    select(doc_cls.id).where(doc_rule)))
        return and_(*global_parts) if global_parts else None

    def scope_domain(self, model_cls: type[BaseModel]) -> list[Any] | None:
        """The data scope the user's posts give on ``model_cls``, as a domain over the model's
        ``_scope_fields`` (the users owning a record), which replaces the group rules; None when
        the model declares no such fields or no addon answers the ``data_scope`` hook (then the
        group rules apply as they are)."""
        fields = model_cls._scope_fields
        if not fields or self.env.uid is None:
            return None
        cache = self.__dict__.setdefault("_scope_cache", {})
        if model_cls._name not in cache:
            users = self.env.registry.pm.hook.data_scope(env=self.env, model=model_cls._name)
            if users is None or users == SCOPE_ALL:
                cache[model_cls._name] = None if users is None else []
            else:
                ids = sorted({*users, self.env.uid})
                cache[model_cls._name] = OR(*([(name, "in", ids)] for name in fields))
        return cache[model_cls._name]

    @staticmethod
    def _document(model_cls: type[BaseModel]) -> tuple[str, type[BaseModel]] | None:
        """``(field, document class)`` when ``model_cls`` is a line following the rules of its
        document through the many2one named by its ``_rules_from``."""
        field = getattr(model_cls, "_rules_from", None)
        if not field:
            return None
        return field, model_cls.__models__[model_cls.__fields__[field].comodel or ""]

    def path_rule(self, model_cls: type[BaseModel]) -> Any | None:
        """What a domain path may reach on ``model_cls``: the rows the user may read."""
        return self.rule_expression(model_cls, "read")

    def rule_denied_message(self, model_cls: type[BaseModel], operation: str,
                            ids: list[int]) -> str:
        names = [str(n) for n, _d, _g in self._rules(model_cls._name, operation)]
        if self.scope_domain(model_cls) is not None:
            names.append(str(_l("data scope")))
        document = self._document(model_cls)
        if document is not None:
            names.append(_("those of %(model)s", model=document[1]._name))
        return _("You may not %(operation)s these %(model)s records %(ids)s: the record rules "
                 "%(rules)s restrict it.", operation=str(_OP_LABELS.get(operation, operation)),
                 model=model_cls._name, ids=ids, rules=", ".join(names))

    # -- field groups ---------------------------------------------------------------------------

    def field_allowed(self, info: FieldInfo) -> bool:
        if info.type == "password":
            return False
        return not info.groups or self.env.su or bool(self.group_xmlids & set(info.groups))

    def field_check(self, operation: str) -> Any:
        """A callback for the domain compiler refusing fields the user may not see."""

        def check(model_cls: type[BaseModel], info: FieldInfo) -> None:
            if info.type == "password" or not self.field_allowed(info):
                raise AccessError(_("You may not use the field %(field)s of %(model)s.",
                                    field=info.name, model=model_cls._name))

        return check

    def check_field_write(self, model_cls: type[BaseModel], info: FieldInfo) -> None:
        if info.groups and not self.env.su and not self.group_xmlids & set(info.groups):
            raise AccessError(_("You may not change the field %(field)s of %(model)s.",
                                field=info.name, model=model_cls._name))


def _always_true(domain: list[Any]) -> bool:
    """Is ``domain`` true for every record (empty, or only ``(1, '=', 1)`` leaves ANDed)?"""
    return all(isinstance(leaf, (tuple, list)) and len(leaf) == 3 and tuple(leaf) == (1, "=", 1)
               for leaf in domain)


_OP_LABELS = {"read": _l("read"), "write": _l("modify"), "create": _l("create"),
              "unlink": _l("delete")}
