"""Odoo-style search domains compiled to SQLAlchemy expressions.

A domain is a list in Polish notation: leaves ``(field_path, operator, value)`` and the prefix
operators ``'&'``, ``'|'`` (two operands) and ``'!'`` (one); leaves side by side are ANDed::

    [("state", "=", "sale"), "|", ("amount_total", ">", 1000), ("partner_id.name", "ilike", "acme")]

Only declared fields and the operators in :data:`OPERATORS` are accepted; values are bound
parameters, never SQL text. Paths go through many2one, one2many and many2many fields as subqueries.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, and_, cast, false, func, not_, or_, select, true, union_all
from sqlalchemy.sql.elements import ColumnElement

from .errors import DomainError
from .i18n import _

if TYPE_CHECKING:
    from .fields import FieldInfo
    from .models import BaseModel

__all__ = ["compile_domain", "normalize", "OPERATORS", "AND", "OR", "TRUE_LEAF", "FALSE_LEAF"]

OPERATORS = frozenset({
    "=", "!=", "<>", ">", ">=", "<", "<=", "=?", "in", "not in", "like", "not like", "ilike",
    "not ilike", "=like", "=ilike", "child_of", "parent_of", "any", "not any",
})
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)
_LOGIC = {"&", "|", "!"}
_INVERSE = {"=": "!=", "!=": "=", "<>": "=", ">": "<=", ">=": "<", "<": ">=", "<=": ">",
            "in": "not in", "not in": "in", "like": "not like", "not like": "like",
            "ilike": "not ilike", "not ilike": "ilike", "any": "not any", "not any": "any"}

FieldCheck = Callable[["type[BaseModel]", "FieldInfo"], None]
#: the condition a path may reach on a co-model (its record rules), or None for any row
PathRule = Callable[["type[BaseModel]"], "ColumnElement[bool] | None"]


def AND(*domains: Sequence[Any]) -> list[Any]:
    """The conjunction of ``domains`` (empty ones ignored)."""
    parts = [list(d) for d in domains if d]
    return ["&"] * (len(parts) - 1) + [item for part in parts for item in part]


def OR(*domains: Sequence[Any]) -> list[Any]:
    """The disjunction of ``domains``; an empty operand makes it match everything."""
    parts = [list(d) for d in domains]
    if not parts or any(not p for p in parts):
        return []
    return ["|"] * (len(parts) - 1) + [item for part in parts for item in part]


def normalize(domain: Sequence[Any]) -> list[Any]:
    """Check the shape of ``domain`` and return it as a list of operators and leaf tuples."""
    if domain is None:
        return []
    if not isinstance(domain, (list, tuple)):
        raise DomainError(_("A domain must be a list, not %(value)r.", value=domain))
    result: list[Any] = []
    for item in domain:
        if isinstance(item, str):
            if item not in _LOGIC:
                raise DomainError(_("Unknown domain operator %(op)r.", op=item))
            result.append(item)
        elif isinstance(item, (list, tuple)) and len(item) == 3:
            result.append(tuple(item))
        else:
            raise DomainError(_("Malformed domain element %(item)r.", item=item))
    return result


def compile_domain(model: type[BaseModel], domain: Sequence[Any],
                   field_check: FieldCheck | None = None,
                   path_rule: PathRule | None = None) -> ColumnElement[bool]:
    """The WHERE expression for ``domain`` on ``model``.

    :param field_check: called with every field the domain touches (access to restricted fields)
    :param path_rule: the rows of a co-model a path (``partner_id.email``, ``any``, a name
        searched through a many2one) may match: its record rules, so that a path cannot test
        the values of records the user may not read
    """
    return _Compiler(field_check, path_rule).compile(model, normalize(domain))


class _Compiler:
    def __init__(self, field_check: FieldCheck | None, path_rule: PathRule | None = None) -> None:
        self.field_check = field_check
        self.path_rule = path_rule

    def reach(self, comodel: type[BaseModel], cond: ColumnElement[bool]) -> ColumnElement[bool]:
        """``cond`` on ``comodel`` limited to the rows the path may see."""
        rule = self.path_rule(comodel) if self.path_rule is not None else None
        return cond if rule is None else and_(cond, rule)

    def compile(self, model: type[BaseModel], domain: list[Any]) -> ColumnElement[bool]:
        items = iter(domain)
        nodes = []
        for item in items:
            nodes.append(self._parse(item, items))
        return and_(*(self._emit(model, node, False) for node in nodes)) if nodes else true()

    def _parse(self, item: Any, rest: Any) -> Any:
        """Prefix notation → a tree: ``("!", x)``, ``("&", a, b)``, ``("|", a, b)`` or a leaf."""
        if isinstance(item, str):
            arity = 1 if item == "!" else 2
            operands = []
            for _i in range(arity):
                nxt = next(rest, None)
                if nxt is None:
                    raise DomainError(_("A domain operator is missing an operand."))
                operands.append(self._parse(nxt, rest))
            return (item, *operands)
        return ("leaf", item)

    def _emit(self, model: type[BaseModel], node: Any, negate: bool) -> ColumnElement[bool]:
        """SQL for ``node``; negations are pushed down to the leaves, as Odoo does, so that
        ``!`` over ``in`` means ``not in`` (empty values included), not SQL's three-valued NOT."""
        kind = node[0]
        if kind == "!":
            return self._emit(model, node[1], not negate)
        if kind in ("&", "|"):
            left, right = self._emit(model, node[1], negate), self._emit(model, node[2], negate)
            return or_(left, right) if (kind == "|") != negate else and_(left, right)
        leaf = node[1]
        if negate and isinstance(leaf, tuple) and leaf not in (TRUE_LEAF, FALSE_LEAF):
            inverse = _INVERSE.get(str(leaf[1]).lower())
            if inverse is not None:
                return self.leaf(model, (leaf[0], inverse, leaf[2]))
        expr = self.leaf(model, leaf)
        return not_(func.coalesce(expr, false())) if negate else expr

    def leaf(self, model: type[BaseModel], leaf: tuple[Any, str, Any]) -> ColumnElement[bool]:
        path, op, value = leaf
        if leaf == TRUE_LEAF:
            return true()
        if leaf == FALSE_LEAF:
            return false()
        if not isinstance(path, str) or not isinstance(op, str):
            raise DomainError(_("Malformed domain leaf %(leaf)r.", leaf=leaf))
        op = op.lower()
        if op not in OPERATORS:
            raise DomainError(_("Unknown domain operator %(op)r.", op=op))
        head, _sep, rest = path.partition(".")
        info = self.field(model, head)
        if not info.stored and (info.computed or info.type not in ("one2many", "many2many")):
            raise DomainError(_("The field %(field)s of %(model)s is computed when read, not "
                                "stored: it cannot be searched.", field=head, model=model._name))
        if rest:
            if info.type not in ("many2one", "one2many", "many2many"):
                raise DomainError(_("The field %(field)s of %(model)s is not relational; "
                                    "%(path)s cannot be followed.",
                                    field=head, model=model._name, path=path))
            comodel = model.__models__[info.comodel or ""]
            return self.relational(model, info, self.reach(
                comodel, self.compile(comodel, [(rest, op, value)])))
        if op in ("any", "not any"):
            if info.comodel is None:
                raise DomainError(_("%(op)s needs a relational field, not %(field)s.",
                                    op=op, field=head))
            comodel = model.__models__[info.comodel]
            cond = self.relational(model, info, self.reach(
                comodel, self.compile(comodel, normalize(value))))
            return not_(cond) if op == "not any" else cond
        if info.type in ("one2many", "many2many"):
            return self.x2many_value(model, info, op, value)
        if info.type == "many2one" and isinstance(value, str) and op in (
                "=", "!=", "like", "ilike", "not like", "not ilike", "=like", "=ilike"):
            comodel = model.__models__[info.comodel or ""]
            negative = op in ("!=", "not like", "not ilike")
            positive_op = {"!=": "=", "not like": "like", "not ilike": "ilike"}.get(op, op)
            cond = self.relational(model, info, self.reach(comodel, self.compile(
                comodel, [(comodel._rec_name or "id", positive_op, value)])))
            return not_(cond) if negative else cond
        if op in ("child_of", "parent_of"):
            if info.type == "many2one":  # the records whose value lies in the co-model's tree
                comodel = model.__models__[info.comodel or ""]
                return self.relational(model, info, self.hierarchy(comodel, op, value))
            return self.hierarchy(model, op, value)
        return self.compare(model.__table__.c[head], info, op, value)

    def field(self, model: type[BaseModel], name: str) -> FieldInfo:
        info = model.__fields__.get(name)
        if info is None:
            raise DomainError(_("Unknown field %(field)s on %(model)s.",
                                field=name, model=model._name))
        if self.field_check is not None:
            self.field_check(model, info)
        return info

    def relational(self, model: type[BaseModel], info: FieldInfo,
                   cond: ColumnElement[bool]) -> ColumnElement[bool]:
        """Records of ``model`` whose ``info`` field reaches a comodel row matching ``cond``."""
        comodel = model.__models__[info.comodel or ""]
        if info.type == "many2one":
            return model.__table__.c[info.name].in_(select(comodel.id).where(cond))
        if info.type == "one2many":
            inverse = comodel.__table__.c[info.inverse_name or ""]
            return model.id.in_(select(inverse).where(cond, inverse.is_not(None)))
        rel = model.metadata.tables[info.relation or ""]
        return model.id.in_(select(rel.c[info.column1 or ""]).where(
            rel.c[info.column2 or ""].in_(select(comodel.id).where(cond))))

    def x2many_value(self, model: type[BaseModel], info: FieldInfo, op: str,
                     value: Any) -> ColumnElement[bool]:
        if op not in ("=", "!=", "in", "not in"):
            raise DomainError(_("The operator %(op)s cannot be used on %(field)s.",
                                op=op, field=info.name))
        comodel = model.__models__[info.comodel or ""]
        if value in (False, None, []):
            cond = self.relational(model, info, true())
            return not_(cond) if op in ("=", "in") else cond
        ids = [value] if isinstance(value, int) else list(value)
        cond = self.relational(model, info, comodel.id.in_(_ints(ids)))
        return not_(cond) if op in ("!=", "not in") else cond

    def hierarchy(self, model: type[BaseModel], op: str, value: Any) -> ColumnElement[bool]:
        parent_name = getattr(model, "_parent_name", "parent_id")
        if parent_name not in model.__fields__:
            raise DomainError(_("%(model)s has no parent field for %(op)s.",
                                model=model._name, op=op))
        ids = _ints([value] if not isinstance(value, (list, tuple)) else value)
        table = model.__table__
        parent = table.c[parent_name]
        if op == "child_of":
            seed = select(table.c.id.label("id")).where(table.c.id.in_(ids))
            tree = seed.cte("tree", recursive=True)
            step = select(table.c.id).join(tree, parent == tree.c.id)
        else:
            seed = select(parent.label("id")).where(table.c.id.in_(ids), parent.is_not(None))
            tree = seed.cte("tree", recursive=True)
            step = select(parent).join(tree, table.c.id == tree.c.id).where(parent.is_not(None))
        tree = tree.union(step)
        matched = select(tree.c.id)
        if op == "parent_of":
            matched = union_all(matched, select(table.c.id).where(table.c.id.in_(ids)))
        return table.c.id.in_(matched)

    def compare(self, column: Any, info: FieldInfo, op: str, value: Any) -> ColumnElement[bool]:
        if op == "=?":
            if value in (None, False):
                return true()
            op = "="
        if op == "<>":
            op = "!="
        if op in ("in", "not in"):
            if not isinstance(value, (list, tuple, set)):
                value = [value]
            values = [v for v in _many(list(value))
                      if v not in (None, False) or info.type == "boolean"]
            has_null = len(values) < len(list(value))
            values = [coerce(info, v) for v in values]
            matches = column.in_(values) if values else false()
            if op == "in":
                return or_(matches, column.is_(None)) if has_null else matches
            # not in: empty values stay in the result unless the list names them (as Odoo does)
            outside = or_(not_(matches), column.is_(None)) if values else true()
            return and_(outside, column.is_not(None)) if has_null else outside
        if value is None or (value is False and info.type != "boolean"):
            if op == "=":
                return column.is_(None)
            if op == "!=":
                return column.is_not(None)
            raise DomainError(_("The operator %(op)s cannot compare %(field)s with an empty value.",
                                op=op, field=info.name))
        if op in ("like", "not like", "ilike", "not ilike", "=like", "=ilike"):
            return _like(column, info, op, value)
        value = coerce(info, value)
        if info.type == "boolean" and op in ("=", "!="):
            cond = column.is_(True) if value else or_(column.is_(False), column.is_(None))
            return not_(cond) if op == "!=" else cond
        if op == "=":
            return column == value
        if op == "!=":
            return or_(column != value, column.is_(None))
        return {">": column > value, ">=": column >= value,
                "<": column < value, "<=": column <= value}[op]


def _like(column: Any, info: FieldInfo, op: str, value: Any) -> ColumnElement[bool]:
    if info.type not in ("char", "text", "selection", "reference", "integer", "decimal",
                         "monetary", "date", "datetime"):
        raise DomainError(_("The operator %(op)s cannot be used on %(field)s.",
                            op=op, field=info.name))
    text = str(value)
    if "\x00" in text or not _encodable(text):
        raise DomainError(_("%(value)r is not a valid value for %(field)s.",
                            value=value, field=info.name))
    if op.startswith("="):
        pattern = text
        cond = column.ilike(pattern) if op == "=ilike" else column.like(pattern)
        return cond
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    if info.type not in ("char", "text", "selection", "reference"):
        column = cast(column, String)
    cond = column.ilike(pattern, escape="\\") if "ilike" in op else column.like(pattern,
                                                                                escape="\\")
    return or_(not_(cond), column.is_(None)) if op.startswith("not") else cond


#: the most values one ``in`` leaf may list (PostgreSQL takes 65,535 parameters a statement)
MAX_VALUES = 30_000


def _many(values: Sequence[Any]) -> Sequence[Any]:
    if len(values) > MAX_VALUES:
        raise DomainError(_("A search may list at most %(n)s values; use a narrower one.",
                            n=MAX_VALUES))
    return values


def _ints(values: Sequence[Any]) -> list[int]:
    _many(values)
    try:
        ids = [int(v) for v in values]
    except (TypeError, ValueError, OverflowError) as exc:
        raise DomainError(_("Expected record ids, got %(value)r.", value=values)) from exc
    if any(not -(2**63) <= i < 2**63 for i in ids):
        raise DomainError(_("Expected record ids, got %(value)r.", value=values))
    return ids


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def coerce(info: FieldInfo, value: Any) -> Any:
    """Convert a JSON/XML-RPC value to the Python type of ``info`` (dates from ISO strings…)."""
    try:
        if info.type in ("integer", "many2one"):
            number = int(value)
            if not -(2**63) <= number < 2**63:  # beyond any integer column
                raise ValueError(value)
            return number
        if info.type in ("decimal", "monetary"):
            if isinstance(value, float):
                value = repr(value)
            number = decimal.Decimal(str(value))
            if not number.is_finite():
                raise ValueError(value)
            return number
        if isinstance(value, str) and ("\x00" in value or not _encodable(value)):
            raise ValueError(value)  # no database takes NUL; lone surrogates are not text
        if info.type == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
        if info.type == "datetime" and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        if info.type == "boolean":
            return bool(value)
        if info.type in ("char", "text", "selection", "reference"):
            if "\x00" in str(value):  # PostgreSQL cannot compare with NUL characters
                raise ValueError(value)
            return str(value)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise DomainError(_("%(value)r is not a valid value for %(field)s.",
                            value=value, field=info.name)) from exc
    return value
