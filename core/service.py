"""The model service: every read and write of every door goes through here.

Each public method checks model access and record rules for the acting user (``env.access``),
validates and converts values by field type, and runs inside a savepoint, so a failure part-way
leaves nothing half-done. Bulk reads are a fixed number of queries whatever the row count.
"""

from __future__ import annotations

import contextlib
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.exc import ResourceClosedError
from sqlalchemy.orm import Session

from . import autoflush, db, integrity
from . import values as conv
from .domain import AND, OR, compile_domain, normalize
from .errors import AccessError, MissingError, ValidationError, database_error
from .fields import FieldInfo
from .gc_pause import pausing_gc
from .i18n import _
from .models import CURRENT, columns_loaded, note_inserted
from .readgroup import read_group
from .recompute import compute_values, mark_modified, recompute
from .references import check_targets
from .translate import catalog, msgid, translate, translate_domain, untranslate

if TYPE_CHECKING:
    from .env import Environment
    from .models import BaseModel

__all__ = ["ModelService"]

_MAGIC = {"id", "create_date", "write_date", "create_uid", "write_uid"}
#: the largest record id (ids are INTEGER columns): larger ones name no record
MAX_ID = 2**31 - 1
#: ``session.info`` key: the savepoints open service calls made, innermost last
_SAVEPOINTS = "kangyi.service_savepoints"
#: ``session.info`` key: the rows loaded during the outermost service call, kept alive till its end
_KEPT = "kangyi.service_kept"
#: ``session.info`` key: the rows service calls loaded, kept alive till their transaction ends
_TX_KEPT = "kangyi.transaction_kept"
#: at most this many rows of finished service calls stay kept till the transaction ends
TX_KEPT_MAX = 1000


class ModelService:
    """``env["model"]``: Odoo's model API over one composed model class."""

    def __init__(self, env: Environment, cls: type[BaseModel]) -> None:
        self.env = env
        self.cls = cls
        self._name = cls._name

    def __repr__(self) -> str:
        return f"<ModelService {self._name} uid={self.env.uid}>"

    def __getattr__(self, name: str) -> Any:
        """Model-level methods (``@model_method`` classmethods), bound to this environment."""
        if name.startswith("_") or name in ("cls", "env"):
            raise AttributeError(name)
        func = getattr(self.cls, name, None)
        if func is None or not getattr(func, "__kangyi_model_method__", False):
            raise AttributeError(name)
        return functools.partial(func, self.env)

    @property
    def fields(self) -> dict[str, FieldInfo]:
        return self.cls.__fields__

    def sudo(self) -> ModelService:
        return ModelService(self.env.sudo(), self.cls)

    # -- searching ------------------------------------------------------------------------------

    def _where(self, domain: Sequence[Any] | None, operation: str = "read") -> Any:
        recompute(self.env)  # stored computed fields are searched as they are now
        domain = normalize(domain or [])
        if ("active" in self.fields and self.env.context.get("active_test", True)
                and not any(isinstance(leaf, tuple) and leaf[0] == "active" for leaf in domain)):
            domain = [("active", "=", True), *domain]
        domain = translate_domain(self.fields, domain, catalog(self.env.lang))
        access = self.env.access
        where = compile_domain(self.cls, domain, access.field_check("read"), access.path_rule)
        rule = self.env.access.rule_expression(self.cls, operation)
        return where if rule is None else where & rule

    def _order_by(self, order: str | None) -> list[Any]:
        clauses = []
        for part in (order or self.cls._order or "id").split(","):
            tokens = part.strip().split()
            if not tokens:
                continue
            name = tokens[0]
            direction = tokens[1].lower() if len(tokens) > 1 else "asc"
            info = self.fields.get(name)
            if info is None or not info.stored or direction not in ("asc", "desc") or len(
                    tokens) > 3:
                raise ValidationError(_("Cannot order %(model)s by %(order)r.",
                                        model=self._name, order=part.strip()))
            if order:  # a caller's order: only by fields the user may read
                self.env.access.field_check("read")(self.cls, info)
            column = self.cls.__table__.c[name]
            clause = column.desc() if direction == "desc" else column.asc()
            if len(tokens) == 3 and tokens[2].lower() in ("nulls", "first", "last"):
                pass
            clauses.append(clause)
        if not any(getattr(c, "element", None) is self.cls.__table__.c.id for c in clauses):
            clauses.append(self.cls.__table__.c.id.asc())
        return clauses

    def search(self, domain: Sequence[Any] | None = None, offset: int = 0,
               limit: int | None = None, order: str | None = None,
               count: bool = False) -> list[int] | int:
        """Ids of the records matching ``domain`` that the user may read."""
        if count:
            return self.search_count(domain)
        return list(self.env.session.scalars(self._search_query(domain, offset, limit, order)))

    def _search_query(self, domain: Sequence[Any] | None, offset: int, limit: int | None,
                      order: str | None) -> Any:
        """The ``select`` of the ids :meth:`search` returns (read access checked)."""
        self.env.access.check(self._name, "read")
        offset, limit = _window(offset, limit)
        query = select(self.cls.id).where(self._where(domain)).order_by(*self._order_by(order))
        if offset:
            query = query.offset(offset)
        if limit:
            query = query.limit(limit)
        return query

    def search_count(self, domain: Sequence[Any] | None = None, limit: int | None = None) -> int:
        """How many readable records match ``domain``."""
        self.env.access.check(self._name, "read")
        inner = select(self.cls.id).where(self._where(domain))
        if limit:
            inner = inner.limit(int(limit))
        return self.env.session.scalar(select(func.count()).select_from(inner.subquery())) or 0

    def where_clause(self, domain: Sequence[Any] | None = None) -> Any:
        """The SQL condition :meth:`search` applies for ``domain`` (the domain, the ``active``
        filter and the user's record rules), after checking read access: for reports joining
        several models in one ``GROUP BY``, each model filtered by its own service."""
        self.env.access.check(self._name, "read")
        return self._where(domain)

    def browse(self, ids: int | Iterable[int]) -> list[BaseModel]:
        """The ORM records ``ids`` (readable by the user), in the order given."""
        ids = [ids] if isinstance(ids, int) else [int(i) for i in ids]
        return self._checked_records(ids, "read")

    def exists(self, ids: Iterable[int]) -> list[int]:
        """The subset of ``ids`` that still exist (no access check: existence is not secret)."""
        ids = [int(i) for i in ids]
        return list(self.env.session.scalars(select(self.cls.id).where(self.cls.id.in_(ids))))

    def _check_ids(self, ids: list[int], operation: str) -> None:
        """Every id exists and passes the record rules for ``operation``."""
        self.env.access.check(self._name, operation)
        if not ids:
            return
        unique = set(ids)
        session = self.env.session
        self._raise_missing({i for i in unique if not 0 < i <= MAX_ID})
        existing = {i for i in unique if self._in_session(i) is not None}
        if existing != unique:
            existing |= set(session.scalars(select(self.cls.id).where(
                self.cls.id.in_(unique - existing))))
        self._raise_missing(unique - existing)
        self._check_rules(ids, operation)

    def _checked_records(self, ids: list[int], operation: str) -> list[BaseModel]:
        """The records ``ids`` after the checks of :meth:`_check_ids`, loaded by the same query
        that proves they exist (none when the session holds them already)."""
        self.env.access.check(self._name, operation)
        found = self._load(ids)
        self._raise_missing(set(ids) - set(found))
        self._check_rules(ids, operation)
        return [found[i] for i in ids]

    def _raise_missing(self, missing: set[int]) -> None:
        if missing:
            raise MissingError(_("Record does not exist or has been deleted: %(model)s %(ids)s",
                                 model=self._name, ids=sorted(missing)))

    def _in_session(self, rid: int) -> BaseModel | None:
        """The record ``rid`` if this session already holds it (not deleted)."""
        session = self.env.session
        record = session.identity_map.get(session.identity_key(self.cls, rid))
        return None if record is None or record in session.deleted else record

    def _load(self, ids: Iterable[int]) -> dict[int, BaseModel]:
        """``{id: record}`` of the existing ``ids``: records the session holds with all their
        columns loaded are taken as they are, the others come in one query."""
        found: dict[int, BaseModel] = {}
        wanted = []
        for rid in dict.fromkeys(i for i in ids if 0 < i <= MAX_ID):  # others cannot exist
            record = self._in_session(rid)
            if record is not None and columns_loaded(record):
                found[rid] = record
            else:
                wanted.append(rid)
        if wanted:
            found.update((r.id, r) for r in self.env.session.scalars(
                select(self.cls).where(self.cls.id.in_(wanted))))
        return found

    def _check_rules(self, ids: list[int], operation: str) -> None:
        """The record rules for ``operation`` hold on ``ids``, records known to exist (no query
        when no rule applies)."""
        rule = self.env.access.rule_expression(self.cls, operation)
        if rule is None or not ids:
            return
        unique = set(ids)
        allowed = set(self.env.session.scalars(
            select(self.cls.id).where(self.cls.id.in_(unique), rule)))
        if allowed != unique:
            raise AccessError(self.env.access.rule_denied_message(
                self.cls, operation, sorted(unique - allowed)))

    # -- reading --------------------------------------------------------------------------------

    def _readable_fields(self, fields: Sequence[str] | None) -> list[FieldInfo]:
        allowed = self.env.access.field_allowed
        if not fields:
            return [f for f in self.fields.values() if f.type != "binary" and allowed(f)]
        result = []
        for name in fields:
            info = self.fields.get(name)
            if info is None:
                raise ValidationError(_("Unknown field %(field)s on %(model)s.",
                                        field=name, model=self._name))
            if allowed(info):
                result.append(info)
        return result

    def read(self, ids: int | Iterable[int], fields: Sequence[str] | None = None,
             load: str = "_classic_read") -> list[dict[str, Any]]:
        """Values of ``fields`` for ``ids``: many2one as ``(id, name)``, x2many as id lists."""
        ids = [ids] if isinstance(ids, int) else [int(i) for i in ids]
        recompute(self.env)
        self._check_ids(ids, "read")
        return self._read_rows(ids, self._readable_fields(fields), load)

    def _read_rows(self, ids: list[int] | None, infos: list[FieldInfo],
                   load: str = "_classic_read", search: Any = None) -> list[dict[str, Any]]:
        """The values of ``infos`` for ``ids``; or, with ``ids`` None, for the rows of
        ``search`` (a ``select`` of ids, with its filter, order and window), read by that one
        statement."""
        if ids is not None and not ids:
            return []
        table = self.cls.__table__
        stored = [f for f in infos if f.stored and f.name != "id"]
        columns = [table.c[f.name] for f in stored]
        query = (select(table.c.id, *columns).where(table.c.id.in_(ids)) if search is None
                 else search.add_columns(*columns))
        names = ["id", *(f.name for f in stored)]
        by_id = {row[0]: dict(zip(names, row, strict=True))
                 for row in self.env.session.execute(query)}
        if ids is None:
            ids = list(by_id)
        computed = [f for f in infos if f.computed and not f.stored]
        if computed and by_id:
            records = list(self._load(by_id).values())
            for rid, values in compute_values(self.env, self.cls, records, computed).items():
                by_id[rid].update(values)
        for info in stored + computed:
            if info.type == "many2one" and load == "_classic_read":
                targets = {r[info.name] for r in by_id.values() if r[info.name]}
                names = self.env[info.comodel or ""].sudo().display_names(targets)
                for record in by_id.values():
                    target = record[info.name]
                    record[info.name] = (target, names.get(target, "")) if target else None
        messages = catalog(self.env.lang)
        for info in infos:
            if info.translate and messages:
                for record in by_id.values():
                    record[info.name] = translate(messages, record[info.name])
            if info.type in ("one2many", "many2many") and not info.computed:
                links = self._x2many_ids(info, list(by_id))
                for rid, record in by_id.items():
                    record[info.name] = links.get(rid, [])
        return [by_id[i] for i in ids if i in by_id]

    def _x2many_ids(self, info: FieldInfo, ids: list[int]) -> dict[int, list[int]]:
        """The linked ids of each record. A one2many gives the lines the user may read (as
        Odoo, the comodel's record rules filter it: a document shows the lines its reader may
        see, and a form's save never removes the others); a many2many all its links (a ``(6,
        ids)`` write replaces them all, hidden ones included)."""
        comodel = self.env.registry[info.comodel or ""]
        result: dict[int, list[int]] = defaultdict(list)
        if info.type == "one2many":
            inverse = comodel.__table__.c[info.inverse_name or ""]
            query = select(inverse, comodel.id).where(inverse.in_(ids)).order_by(
                *ModelService(self.env, comodel)._order_by(None))
            rule = self.env.access.rule_expression(comodel, "read")
            if rule is not None:
                query = query.where(rule)
        else:
            rel = self.cls.metadata.tables[info.relation or ""]
            query = select(rel.c[info.column1 or ""], rel.c[info.column2 or ""]).where(
                rel.c[info.column1 or ""].in_(ids)).order_by(rel.c[info.column2 or ""])
        for owner, target in self.env.session.execute(query):
            result[owner].append(target)
        return result

    def display_names(self, ids: Iterable[int]) -> dict[int, str]:
        """``{id: display name}`` in one query."""
        ids = list(ids)
        if not ids:
            return {}
        self._check_ids([], "read")
        rec_name = self.cls._rec_name if self.cls._rec_name in self.fields else None
        if rec_name is None:
            return {i: self._unnamed(i) for i in ids}
        info = self.fields[rec_name]
        messages = catalog(self.env.lang) if info.translate else None
        if not info.stored:  # a name computed on read
            values = compute_values(self.env.sudo(), self.cls,
                                    list(self._load(ids).values()), [info])
            return {rid: str(translate(messages, v[rec_name]))
                    if v[rec_name] not in (None, False, "")
                    else self._unnamed(rid) for rid, v in values.items()}
        extra = [n for n in self.cls._display_fields if n != rec_name]
        table = self.cls.__table__
        rows = self.env.session.execute(select(
            self.cls.id, table.c[rec_name], *(table.c[n] for n in extra)
        ).where(self.cls.id.in_(ids)))
        result = {}
        for rid, name, *more in rows:
            worded = self.cls._display_name_of(self.env, rid, {rec_name: name, **dict(
                zip(extra, more, strict=True))}) if extra else None
            result[rid] = worded if worded is not None else (
                str(translate(messages, name)) if name is not None else self._unnamed(rid))
        return result

    def display_name_from(self, rid: int, values: dict[str, Any]) -> str | None:
        """The display name of record ``rid`` from values it was read with (its ``_rec_name``
        and ``_display_fields``), without a query; None: those values do not word it."""
        if not self.cls._display_fields:
            return None
        return self.cls._display_name_of(self.env, rid, values)

    def _unnamed(self, rid: int) -> str:
        """The display name of a record without a name: its kind and id (``发货通知单明细 #10``)."""
        kind = msgid(self.cls._description) or self._name
        return f"{translate(catalog(self.env.lang), kind)} #{rid}"

    def search_read(self, domain: Sequence[Any] | None = None,
                    fields: Sequence[str] | None = None, offset: int = 0,
                    limit: int | None = None, order: str | None = None) -> list[dict[str, Any]]:
        """:meth:`search` and :meth:`read` in one query, plus one per relational field."""
        return self._read_rows(None, self._readable_fields(fields),
                               search=self._search_query(domain, offset, limit, order))

    def name_search(self, name: str = "", args: Sequence[Any] | None = None,
                    operator: str = "ilike", limit: int = 100) -> list[tuple[int, str]]:
        """``(id, display name)`` of records whose name (or one of the model's
        ``_rec_names_search`` fields) matches ``name``; a negative operator needs all to."""
        domain = list(args or [])
        searched = [f for f in self.cls._rec_names_search or (self.cls._rec_name,)
                    if f in self.fields]
        if name and searched:
            join = AND if operator.startswith("not") or operator == "!=" else OR
            domain = AND(join(*([(f, operator, name)] for f in searched)), domain)
        ids = self.search(domain, limit=limit)
        assert isinstance(ids, list)
        names = self.display_names(ids)
        return [(i, names[i]) for i in ids]

    @pausing_gc
    def read_group(self, domain: Sequence[Any] | None, fields: Sequence[str],
                   groupby: str | Sequence[str], offset: int = 0, limit: int | None = None,
                   orderby: str | None = None, lazy: bool = True) -> list[dict[str, Any]]:
        """Aggregates of ``fields`` grouped by ``groupby``, computed by one GROUP BY query; the
        garbage collector is paused while the groups are built (:mod:`core.gc_pause`)."""
        self.env.access.check(self._name, "read")
        offset, limit = _window(offset, limit)
        return read_group(self, self._where(domain), domain, fields, groupby, offset, limit,
                          orderby, lazy)

    def fields_get(self, allfields: Sequence[str] | None = None,
                   attributes: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        """Field descriptions (Odoo's shape), without fields the user may not see."""
        self.env.access.check(self._name, "read")
        result = {}
        for info in self._readable_fields(allfields):
            desc = conv.describe(info)
            if attributes:
                desc = {k: v for k, v in desc.items() if k in attributes}
            result[info.name] = desc
        return result

    def default_get(self, fields: Sequence[str]) -> dict[str, Any]:
        return self.cls.default_get(self.env, list(fields))

    # -- writing --------------------------------------------------------------------------------

    def create(self, vals_list: dict[str, Any] | list[dict[str, Any]]) -> int | list[int]:
        """Create one record (returns its id) or several (returns their ids)."""
        single = isinstance(vals_list, dict)
        batch = [vals_list] if single else list(vals_list)  # type: ignore[list-item]
        self.env.access.check(self._name, "create")
        integrity.refuse_engine_only(self, "create")
        with self._savepoint(), self._acting():
            prepared, relations, inverses = [], [], []
            for vals in batch:
                columns, x2many, inverse = self._prepare(vals, creating=True)
                inverses.append(inverse)
                defaults = self.cls.default_get(
                    self.env, [n for n in self.fields if n not in columns and n not in _MAGIC])
                columns = {**{k: v for k, v in defaults.items() if self.fields[k].stored},
                           **columns}
                self._check_required(columns)
                prepared.append(columns)
                relations.append(x2many)
            self._check_links(prepared)
            records = self.cls.create(self.env, prepared)
            self._link_new(records, relations)
            for record, x2many in zip(records, relations, strict=True):
                self._write_x2many(record.id, x2many)
            for record, inverse in zip(records, inverses, strict=True):
                self._inverse([record], inverse)
            recompute(self.env)
            ids = [r.id for r in records]
            self._check_rules(ids, "create")  # just inserted: only the rules can refuse them
            self.cls.check_constraints_of(records)
            self.env.registry.pm.hook.record_created(env=self.env, model=self._name, ids=ids)
        return ids[0] if single else ids

    def write(self, ids: int | Iterable[int], vals: dict[str, Any]) -> bool:
        """Set ``vals`` on every record of ``ids``."""
        ids = [ids] if isinstance(ids, int) else [int(i) for i in ids]
        integrity.refuse_engine_only(self, "write")
        vals, expected = integrity.pop_last_update(self, ids, vals)
        with self._savepoint(), self._acting():
            records = self._checked_records(ids, "write")
            integrity.check_edit_states(self, records, vals)
            vals = self._drop_unchanged_computed(records, vals)
            vals = self._drop_translations(records, vals)
            columns, x2many, inverse = self._prepare(vals, creating=False)
            self._check_links([{name: value for name, value in columns.items()
                                if any(getattr(r, name) != value for r in records)}])
            integrity.check_last_update(self, expected, list(vals))
            for record in records:
                old = {name: getattr(record, name) for name in columns}
                record.write(dict(columns))
                self.env.registry.pm.hook.record_written(
                    env=self.env, model=self._name, record_id=record.id, old=old,
                    new={name: getattr(record, name) for name in columns})
            for rid in ids:
                self._write_x2many(rid, x2many)
            changed = self._inverse(records, inverse)
            recompute(self.env)
            self.cls.check_constraints_of(records, set(vals) | changed)
            self._check_rules(ids, "write")  # the new values must still pass the rules
        return True

    def unlink(self, ids: int | Iterable[int]) -> bool:
        """Delete ``ids``; records pointing at them follow their field's ``ondelete``."""
        ids = [ids] if isinstance(ids, int) else [int(i) for i in ids]
        integrity.refuse_engine_only(self, "unlink")
        _vals, expected = integrity.pop_last_update(self, ids, {})  # Odoo's context form
        with self._savepoint(), self._acting():
            records = self._checked_records(ids, "unlink")
            integrity.check_last_update(self, expected, [])
            self.env.registry.pm.hook.record_unlinking(env=self.env, model=self._name, ids=ids)
            for record in records:
                record.unlink()
            _forget_cascaded(self.env, self._name, set(ids))
            self.env.forget_xmlids(self._name, ids)
            recompute(self.env)
        return True

    def call(self, method: str, ids: Sequence[int], *args: Any, **kwargs: Any) -> Any:
        """Run the public record method ``method`` on each of ``ids`` (a workflow action…)."""
        func = getattr(self.cls, method, None)
        if method.startswith("_") or not getattr(func, "__kangyi_public__", False):
            raise AccessError(_("The method %(method)s of %(model)s is private or does not exist.",
                                method=method, model=self._name))
        ids = [int(i) for i in ids]
        with self._savepoint(), self._acting():
            records = self._checked_records(ids, getattr(func, "__kangyi_check__", "write"))
            results = [getattr(record, method)(*args, **kwargs) for record in records]
            recompute(self.env)
        return results[0] if len(results) == 1 else (results or None)

    def modified(self, ids: Iterable[int], fields: Iterable[str] | None = None) -> None:
        """Recompute (at the end of the call) what depends on ``fields`` of ``ids``: for code that
        changed them with SQL statements, which the ORM does not see."""
        mark_modified(self.env, self._name, ids, fields)

    def browse_unchecked(self, ids: Sequence[int]) -> list[BaseModel]:
        """ORM records without access checks: only after :meth:`_check_ids` or for trusted code."""
        found = self._load(ids)
        return [found[i] for i in ids if i in found]

    # -- helpers --------------------------------------------------------------------------------

    def _savepoint(self) -> Any:
        return _Savepoint(self.env)

    @contextlib.contextmanager
    def _acting(self) -> Iterator[None]:
        """Records reach this environment through ``self.env`` (``write_uid``, record methods)."""
        info = self.env.session.info
        previous = info.get("env")
        info["env"] = self.env
        try:
            yield
        finally:
            info["env"] = previous

    def _prepare(self, vals: dict[str, Any], creating: bool) -> tuple[dict[str, Any], dict,
                                                                      dict[str, Any]]:
        """Split and convert ``vals`` into column values, x2many commands and values of
        computed fields for their inverse methods; check each field."""
        if not isinstance(vals, dict):
            raise ValidationError(_("Values must be a mapping of field names to values."))
        columns: dict[str, Any] = {}
        x2many: dict[str, Any] = {}
        inverse: dict[str, Any] = {}
        for name, value in vals.items():
            info = self.fields.get(name)
            if info is None:
                raise ValidationError(_("Unknown field %(field)s on %(model)s.",
                                        field=name, model=self._name))
            if name in _MAGIC:
                raise ValidationError(_("The field %(field)s is set by the system.", field=name))
            if info.inverse:
                if not (creating and value in (None, False)):
                    self.env.access.check_field_write(self.cls, info)
                    inverse[name] = conv.to_column(info, value)
                continue
            if info.computed and not (creating and value in (None, False)):
                raise ValidationError(_("%(field)s of %(model)s is computed and cannot be set.",
                                        field=info.label, model=self._name), field=name)
            if info.computed:
                continue
            self.env.access.check_field_write(self.cls, info)
            integrity.guard_field(self, info, value, creating)
            if info.stored:
                columns[name] = conv.to_column(info, value)
            else:
                x2many[name] = value
        return columns, x2many, inverse

    def _inverse(self, records: list[BaseModel], values: dict[str, Any]) -> set[str]:
        """Give each record the computed ``values`` and call their fields' inverse methods
        (each once per record), which write what the fields are computed from; the names of
        the columns they changed (for the ``@constrains`` methods)."""
        if not values:
            return set()
        methods = list(dict.fromkeys(self.fields[name].inverse or "" for name in values))
        changed: set[str] = set()
        for record in records:
            for name, value in values.items():
                setattr(record, name, value)
            try:
                for method in methods:
                    getattr(record, method)()
            finally:
                for name in values:
                    if not self.fields[name].stored:
                        record.__dict__.pop(f"_computed_{name}", None)
            changed |= set(inspect(record).committed_state)
        return changed

    def _drop_unchanged_computed(self, records: list[BaseModel],
                                 vals: dict[str, Any]) -> dict[str, Any]:
        """``vals`` without the computed fields it gives as they are (a client sending back what
        it read, a form saved with its other fields changed); a value that would change one
        stays, for :meth:`_prepare` to refuse or for its inverse method."""
        if not isinstance(vals, dict):
            return vals
        infos = [self.fields[n] for n in vals if n in self.fields and self.fields[n].computed]
        lazy = [info for info in infos if not info.stored]
        current = compute_values(self.env, self.cls, records, lazy) if lazy else {}
        same = []
        for info in infos:
            olds = [getattr(r, info.name) if info.stored else current[r.id][info.name]
                    for r in records]
            with contextlib.suppress(ValidationError, TypeError, ValueError):
                if info.type in ("one2many", "many2many"):
                    unchanged = all(sorted(old) == sorted(vals[info.name]) for old in olds)
                else:
                    value = conv.to_column(info, vals[info.name])
                    unchanged = all(conv.to_column(info, old) == value for old in olds)
                if unchanged:
                    same.append(info.name)
        return {k: v for k, v in vals.items() if k not in same} if same else vals

    def _drop_translations(self, records: list[BaseModel],
                           vals: dict[str, Any]) -> dict[str, Any]:
        """Without the translatable values that are only every record's value as shown in
        the user's language: saving a form in Chinese keeps the English source."""
        messages = catalog(self.env.lang)
        if not messages or not records:
            return vals
        return {name: value for name, value in vals.items()
                if not (name in self.fields and self.fields[name].translate and all(
                    untranslate(messages, getattr(r, name), value) for r in records))}

    def _check_links(self, rows: list[dict[str, Any]]) -> None:
        """Many2one values name records the user may read (one query per co-model with rules):
        a link to a hidden record would reveal it through paths and names; references name
        installed models and records that exist and the user may read
        (:func:`core.references.check_targets`)."""
        references = [(self.fields[name], value) for columns in rows
                      for name, value in columns.items()
                      if value and self.fields[name].type == "reference"]
        if references:
            check_targets(self.env, references)
        if self.env.su:
            return
        targets: dict[str, set[int]] = defaultdict(set)
        for columns in rows:
            for name, value in columns.items():
                info = self.fields[name]
                if info.type == "many2one" and value and info.comodel:
                    targets[info.comodel].add(value)
        access = self.env.access
        for comodel, ids in targets.items():
            cls = self.env.registry[comodel]
            rule = access.rule_expression(cls, "read")
            if rule is None:
                continue
            hidden = ids - set(self.env.session.scalars(select(cls.id).where(cls.id.in_(ids),
                                                                              rule)))
            hidden = set(self.env[comodel].exists(hidden)) if hidden else hidden
            if hidden:  # (ids that do not exist are the foreign key's to refuse)
                raise AccessError(access.rule_denied_message(cls, "read", sorted(hidden)))

    def _check_required(self, columns: dict[str, Any]) -> None:
        missing = [f.label for f in self.fields.values()
                   if f.required and f.stored and columns.get(f.name) in (None, "")]
        if missing:
            raise ValidationError(_("Required fields are missing on %(model)s: %(fields)s",
                                    model=self._name, fields=", ".join(missing)))

    def _link_new(self, records: list[BaseModel], relations: list[dict[str, Any]]) -> None:
        """The many2many values of just-created ``records`` given as one replace command (or a
        list of ids): one access check of all their targets and one INSERT per field, for the
        whole batch; the fields are taken out of ``relations``."""
        links: dict[str, list[tuple[int, list[int]]]] = defaultdict(list)
        for record, x2many in zip(records, relations, strict=True):
            for name, value in list(x2many.items()):
                info = self.fields[name]
                if info.type != "many2many":
                    continue
                commands = conv.x2many_commands(info, value)
                if len(commands) == 1 and commands[0][0] == 6:
                    links[name].append((record.id, list(dict.fromkeys(
                        int(i) for i in commands[0][2]))))
                    del x2many[name]
        for name, pairs in links.items():
            info = self.fields[name]
            rel = self.cls.metadata.tables[info.relation or ""]
            own, other = rel.c[info.column1 or ""], rel.c[info.column2 or ""]
            self.env[info.comodel or ""]._check_ids(
                list(dict.fromkeys(t for _rid, targets in pairs for t in targets)), "read")
            # rows left by a deleted record whose id was reused (SQLite) go, as with (6, 0, ids)
            self.env.session.execute(delete(rel).where(own.in_([rid for rid, _t in pairs])))
            rows = [{own.key: rid, other.key: t} for rid, targets in pairs for t in targets]
            if rows:
                self.env.session.execute(insert(rel), rows)
            mark_modified(self.env, self._name, [rid for rid, _t in pairs], [name])

    def _write_x2many(self, record_id: int, x2many: dict[str, Any]) -> None:
        for name, commands in x2many.items():
            info = self.fields[name]
            comodel = self.env[info.comodel or ""]
            new_lines: list[dict[str, Any]] = []  # one2many lines to create, in one batch
            for command in conv.x2many_commands(info, commands):
                if info.type == "one2many" and command[0] == 0:
                    new_lines.append({**command[2], info.inverse_name or "": record_id})
                    continue
                if new_lines:
                    comodel.create(new_lines)
                    new_lines = []
                self._apply_command(record_id, info, comodel, command)
            if new_lines:
                comodel.create(new_lines)

    def _apply_command(self, record_id: int, info: FieldInfo, comodel: ModelService,
                       command: tuple[Any, ...]) -> None:
        code = command[0]
        if info.type == "one2many":
            inverse = info.inverse_name or ""
            if code == 0:
                comodel.create({**command[2], inverse: record_id})
            elif code == 1:
                comodel.write([command[1]], command[2])
            elif code in (2, 3):
                comodel.unlink([command[1]])
            elif code == 4:
                comodel.write([command[1]], {inverse: record_id})
            elif code in (5, 6):
                current = comodel.search([(inverse, "=", record_id)])
                keep = set(command[2]) if code == 6 else set()
                assert isinstance(current, list)
                stale = [i for i in current if i not in keep]
                if stale:
                    comodel.unlink(stale)
                if code == 6 and keep:
                    comodel.write(sorted(keep - set(current)), {inverse: record_id})
            return
        rel = self.cls.metadata.tables[info.relation or ""]
        own, other = rel.c[info.column1 or ""], rel.c[info.column2 or ""]
        session = self.env.session
        mark_modified(self.env, self._name, [record_id], [info.name])
        if code == 0:
            new_id = comodel.create(command[2])
            session.execute(insert(rel).values({own.key: record_id, other.key: new_id}))
        elif code == 1:
            comodel.write([command[1]], command[2])
        elif code in (2, 3):
            if code == 2:
                comodel.unlink([command[1]])
            session.execute(delete(rel).where(own == record_id, other == command[1]))
        elif code == 4:
            comodel._check_ids([command[1]], "read")
            exists = session.scalar(select(func.count()).where(own == record_id,
                                                               other == command[1]))
            if not exists:
                session.execute(insert(rel).values({own.key: record_id, other.key: command[1]}))
        elif code in (5, 6):
            session.execute(delete(rel).where(own == record_id))
            if code == 6:
                targets = list(dict.fromkeys(int(i) for i in command[2]))
                comodel._check_ids(targets, "read")
                if targets:
                    session.execute(insert(rel), [{own.key: record_id, other.key: t}
                                                  for t in targets])


def _forget_cascaded(env: Environment, model: str, ids: set[int]) -> None:
    """Records the session holds whose rows the database deletes with ``ids`` (a many2one to
    ``model`` with ``ondelete="cascade"``: an order's lines) leave the session, as deleted rows
    do: nothing recomputes or writes them afterwards."""
    session = env.session
    links = [(cls, info.name) for cls in env.registry.models.values()
             for info in cls.__fields__.values()
             if info.type == "many2one" and info.comodel == model and info.stored
             and (info.ondelete or "").lower() == "cascade"]
    if not links or not ids:
        return
    gone: dict[str, set[int]] = defaultdict(set)
    for obj in list(session.identity_map.values()):
        for cls, name in links:
            if isinstance(obj, cls) and obj.__dict__.get(name) in ids:
                gone[cls._name].add(obj.id)
                session.expunge(obj)
    for child, child_ids in gone.items():
        _forget_cascaded(env, child, child_ids)


def _window(offset: Any, limit: Any) -> tuple[int, int | None]:
    """``offset`` and ``limit`` as whole numbers a database accepts (no limit: None or 0)."""
    try:
        offset, limit = int(offset or 0), (None if limit in (None, False) else int(limit))
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("The offset and the limit must be whole numbers.")) from exc
    if not 0 <= offset < 2**62 or (limit is not None and not 0 <= limit < 2**62):
        raise ValidationError(_("The offset and the limit must be whole numbers from 0 to "
                                "%(max)s.", max=2**62 - 1))
    return offset, limit


class _Savepoint:
    """A SAVEPOINT around one service call; database integrity errors become ValidationError.

    A call made while another service call's savepoint is the innermost one (a record method
    creating lines, a hook writing a voucher…) opens none of its own: if it fails, the outer
    call's savepoint rolls back the whole operation. A savepoint opened by other code in between
    (an import row, a web action) gets a service savepoint of its own again.

    A call that starts before its transaction wrote anything (the first write of a web request)
    opens no SAVEPOINT either: if it fails, rolling the transaction back undoes exactly what it
    did, as the savepoint would have."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.tx: Any = None
        self.root = False
        self.autoflush: Any = None

    def __enter__(self) -> None:
        session = self.env.session
        stack = session.info.setdefault(_SAVEPOINTS, [])
        if stack and _innermost(session) is stack[-1]:
            return  # inside another service call's savepoint: that one covers this call
        recompute(self.env)  # what changed before is settled outside this savepoint
        if not stack:
            _keep_loaded(session)
        if session.get_nested_transaction() is None and not _wrote(session):
            self.tx, self.root = session.get_transaction() or session.begin(), True
        else:
            self.tx = session.begin_nested()
        stack.append(self.tx)
        self.autoflush = autoflush.selective(session)

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        if self.tx is None:
            return False
        session = self.env.session
        failed = None
        if exc is None:
            try:  # what the call left pending is written here, inside its savepoint
                recompute(self.env)
                session.flush()
            except Exception as error:  # noqa: BLE001  (undone and raised below)
                exc = failed = error
        autoflush.restore(session, self.autoflush)
        stack = session.info[_SAVEPOINTS]
        stack.remove(self.tx)
        if not stack:
            kept = session.info.pop(_KEPT, None)
            session.info.pop(CURRENT, None)
            if kept is not None and exc is None:
                _keep_for_transaction(session, kept)
        if exc is None:
            if not self.root:
                self.tx.commit()
            return False
        try:
            if self.root:
                session.rollback()  # the transaction had written nothing before this call
            else:
                self.tx.rollback()  # also when a failed flush already deactivated the savepoint
        except ResourceClosedError:
            pass  # closed by an inner rollback: nothing left to undo
        mapped = database_error(exc)
        if mapped is not None:  # a broken constraint, a deadlock…: the user's error
            raise mapped from exc
        if failed is not None:
            raise failed
        return False


def _innermost(session: Session) -> Any:
    """The innermost transaction of ``session``: its savepoint, else the transaction."""
    return session.get_nested_transaction() or session.get_transaction()


def _wrote(session: Session) -> bool:
    """Has ``session``'s transaction written (or locked) anything yet?"""
    if session.get_transaction() is None:
        return False
    return db.wrote(session.connection())


def _keep_loaded(session: Session) -> None:
    """Until the outermost service call ends, rows it loads stay in the session's identity map
    (a weak one): a product, account or location read for one line is not read again for the
    next once nothing else held it. Code that changes rows with SQL expires them, as before.
    The rows earlier calls of the transaction kept are current too (:data:`CURRENT`)."""
    session.info[_KEPT] = []
    session.info[CURRENT] = {id(row) for row in session.info.get(_TX_KEPT, ())}
    if not event.contains(session, "loaded_as_persistent", _kept):
        event.listen(session, "loaded_as_persistent", _kept)
        event.listen(session, "pending_to_persistent", _inserted)


def _keep_for_transaction(session: Session, kept: list[Any]) -> None:
    """The rows a finished outermost call loaded stay in the identity map till the transaction
    ends (the last :data:`TX_KEPT_MAX` of them): the next call of the same transaction (a notice
    created, then approved) finds its record, products and accounts without reading them again.
    They stay current: a savepoint rolled back or SQL changing their rows expires them."""
    transaction = session.get_transaction()
    if transaction is None:
        return
    if not event.contains(session, "after_transaction_end", _transaction_ended):
        event.listen(session, "after_transaction_end", _transaction_ended)
    held = session.info.setdefault(_TX_KEPT, [])
    held.extend(kept)
    del held[:-TX_KEPT_MAX]


def _transaction_ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_TX_KEPT, None)


def _kept(session: Session, instance: Any) -> None:
    kept = session.info.get(_KEPT)
    if kept is not None:
        kept.append(instance)
        session.info[CURRENT].add(id(instance))


def _inserted(session: Session, instance: Any) -> None:
    """A row this call inserted is current too (``BaseModel.lock`` on SQLite), and new in its
    transaction (``models.inserted_here``)."""
    note_inserted(session, instance)
    kept = session.info.get(_KEPT)
    if kept is not None:
        kept.append(instance)
        session.info[CURRENT].add(id(instance))
