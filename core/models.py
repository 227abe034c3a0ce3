"""The behaviour every composed model inherits, below all addon fragments.

A model is declared by plain fragment classes; the registry stacks them on top of :class:`BaseModel`
and a per-registry ``DeclarativeBase``. Fragments override the methods here and call ``super()``,
which runs through every addon that extends the model, in dependency order::

    class SaleOrder:
        _inherit = "sale.order"

        @classmethod
        def create(cls, env, vals_list):
            for vals in vals_list:
                vals.setdefault("note", "from stock")
            return super().create(env, vals_list)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from sqlalchemy import DateTime, Integer, inspect, select
from sqlalchemy.orm import Mapped, mapped_column, object_session

from .record_actions import RecordActions

if TYPE_CHECKING:
    from .env import Environment
    from .fields import FieldInfo

__all__ = ["BaseModel", "public", "model_method", "constrains", "depends", "utcnow",
           "columns_loaded", "CURRENT", "INSERTED", "note_inserted", "inserted_here",
           "lock_rows"]

#: ``session.info`` key: ids (``id(instance)``) of the rows loaded or inserted during the
#: outermost service call, or kept from the earlier calls of its transaction (``core.service``);
#: on SQLite, whose writers hold the database's write lock from ``BEGIN IMMEDIATE``, such a row
#: is current
CURRENT = "kangyi.current_rows"


def utcnow() -> dt.datetime:
    """Naive UTC now, as stored in ``create_date``/``write_date``."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


#: ``session.info`` key: ``(transaction, identity keys)`` of the rows the session's current
#: transaction inserted (through the model service); see :func:`inserted_here`
INSERTED = "kangyi.inserted_rows"


def note_inserted(session: Any, record: Any) -> None:
    """``record`` was just inserted by ``session``'s current transaction."""
    memo = session.info.get(INSERTED)
    transaction = session.get_transaction()
    if memo is None or memo[0] is not transaction:
        memo = session.info[INSERTED] = (transaction, set())
    memo[1].add(inspect(record).identity_key)


def inserted_here(session: Any, cls: type, rid: int) -> bool:
    """Was the row ``rid`` of ``cls`` inserted by ``session``'s current transaction? Then no
    other transaction can have seen or referenced it: rows pointing at it are this session's.
    (A row this transaction inserted and then rolled back to a savepoint frees its id, which on
    SQLite only this transaction, holding the write lock, can take again.)"""
    memo = session.info.get(INSERTED)
    return (memo is not None and memo[0] is session.get_transaction()
            and session.identity_key(cls, rid) in memo[1])


def lock_rows(session: Any, cls: Any, ids: Iterable[int]) -> dict[int, Any]:
    """``{id: row}`` of the rows ``ids`` of ``cls``, locked until the transaction ends and
    current: one ``SELECT … FOR UPDATE`` re-reading them in id order (parallel lockers queue in
    the same order). On SQLite, whose writers hold the database's write lock from ``BEGIN
    IMMEDIATE``, the rows this service call already read are locked and current as they are:
    no query when it read them all."""
    wanted = sorted(set(ids))
    if session.get_bind().dialect.name == "sqlite":
        current = session.info.get(CURRENT, ())
        held = [session.identity_map.get(session.identity_key(cls, rid)) for rid in wanted]
        if all(row is not None and id(row) in current and row not in session.deleted
               and columns_loaded(row) for row in held):
            return {row.id: row for row in held}
    rows = session.scalars(select(cls).where(cls.id.in_(wanted)).order_by(cls.id)
                           .with_for_update().execution_options(populate_existing=True))
    return {row.id: row for row in rows}


def columns_loaded(record: Any) -> bool:
    """Are all of the record's column attributes loaded (relationships may be unloaded: a
    refresh leaves them so, and they load on access)?"""
    expired = inspect(record).expired_attributes
    return not expired or expired.isdisjoint(type(record).__mapper__.column_attrs.keys())


def public(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a record method as callable from the APIs (``execute_kw``, REST actions, buttons)."""
    func.__kangyi_public__ = True  # type: ignore[attr-defined]
    return func


def model_method(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a classmethod ``(cls, env, *args)`` as a model-level method of the model service:
    ``env["ir.sequence"].next_by_code("sale.order")`` calls it with the caller's environment."""
    target = func.__func__ if isinstance(func, classmethod) else func
    target.__kangyi_model_method__ = True  # type: ignore[attr-defined]
    return func


def constrains(*field_names: str,
               batch: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a record method as a validation run after create/write touching ``field_names``.

    The method raises :class:`core.errors.ValidationError` when the record is invalid. With
    ``batch``, it is a classmethod ``(cls, records)`` called once for all the records a create or
    write touched (its reads in one query, not one per line); put ``@classmethod`` above it.
    """

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        target = func.__func__ if isinstance(func, classmethod) else func
        target.__kangyi_constrains__ = tuple(field_names)  # type: ignore[attr-defined]
        target.__kangyi_batch__ = batch  # type: ignore[attr-defined]
        return func

    return mark


def depends(*paths: str | Callable[[type], Iterable[str]]
            ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare what a compute method reads: field names of the record and dotted paths through
    many2one, one2many and many2many fields (``"order_line.price_subtotal"``,
    ``"partner_id.country_id"``). A change to any of them, through any door, recomputes the
    stored fields the method computes (see :mod:`core.compute`). A path may also be a function
    of the model class giving paths, for a mixin's method whose inputs each model names
    (``lambda model: (model._quantity_field,)``)."""

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        func.__kangyi_depends__ = tuple(paths)  # type: ignore[attr-defined]
        return func

    return mark


class BaseModel(RecordActions):
    """Columns and overridable behaviour shared by every model (workflow and chatter methods
    come from :class:`core.record_actions.RecordActions`)."""

    _name: ClassVar[str]
    _description: ClassVar[str] = ""
    _order: ClassVar[str] = "id"
    _rec_name: ClassVar[str] = "name"
    #: the fields ``name_search`` matches (any of them); empty: ``_rec_name`` alone
    _rec_names_search: ClassVar[tuple[str, ...]] = ()
    #: stored fields besides ``_rec_name`` that :meth:`_display_name_of` words the display name
    #: with (read in the same query as the name)
    _display_fields: ClassVar[tuple[str, ...]] = ()
    #: the fields (paths allowed) naming the users who own a record: the data scopes of posts
    #: (the ``data_scope`` hook) apply to the model through them; empty: no data scope
    _scope_fields: ClassVar[tuple[str, ...]] = ()
    #: a line's many2one to its document: the line follows the document's record rules
    #: (``"order_id"``), besides any rule of its own
    _rules_from: ClassVar[str] = ""
    #: what posting a message on a record needs: ``"write"`` (Odoo's default) or ``"read"``
    _mail_post_access: ClassVar[str] = "write"
    # Filled by the registry when it composes the class.
    __models__: ClassVar[dict[str, type[BaseModel]]]
    __fields__: ClassVar[dict[str, FieldInfo]]
    __addons__: ClassVar[tuple[str, ...]]

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-100)
    create_date: Mapped[Optional[dt.datetime]] = mapped_column(
        DateTime, default=utcnow, sort_order=90
    )
    write_date: Mapped[Optional[dt.datetime]] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, sort_order=91
    )
    create_uid: Mapped[Optional[int]] = mapped_column(Integer, sort_order=92)
    write_uid: Mapped[Optional[int]] = mapped_column(Integer, sort_order=93)

    # -- access to the environment -------------------------------------------------------------

    @property
    def env(self) -> Environment:
        session = object_session(self)
        if session is None or "env" not in session.info:
            raise RuntimeError(f"{self._name}({self.id}) is not attached to an environment")
        return session.info["env"]

    @classmethod
    def _display_name_of(cls, env: Environment, rid: int, values: dict[str, Any]) -> str | None:
        """The display name of record ``rid`` worded from ``values`` (its ``_rec_name`` and
        ``_display_fields``), in ``env.lang``; None: its name as stored."""
        return None

    @property
    def display_name(self) -> str:
        if self._display_fields:
            names = (self._rec_name, *self._display_fields)
            worded = self._display_name_of(self.env, self.id,
                                           {n: getattr(self, n, None) for n in names})
            if worded is not None:
                return worded
        value = getattr(self, self._rec_name, None) if self._rec_name else None
        info = self.__fields__.get(self._rec_name or "")
        if info is not None and info.translate:
            from .translate import catalog, translate

            value = translate(catalog(self.env.lang), value)
        if value in (None, ""):  # no name: its kind and id, as display_names() words it
            return self.env[self._name]._unnamed(self.id)
        return str(value)

    def __repr__(self) -> str:
        return f"<{self._name}({self.id})>"

    # -- overridable lifecycle -----------------------------------------------------------------

    @classmethod
    def default_get(cls, env: Environment, field_names: list[str]) -> dict[str, Any]:
        """Default values for new records (field defaults, then ``context['default_<f>']``)."""
        result: dict[str, Any] = {}
        for name in field_names:
            info = cls.__fields__.get(name)
            if info is None:
                continue
            key = f"default_{name}"
            if key in env.context:
                result[name] = env.context[key]
            elif info.default is not None:
                result[name] = info.default_value(env)
        return result

    @classmethod
    def create(cls, env: Environment, vals_list: list[dict[str, Any]]) -> list[BaseModel]:
        """Insert records; ``vals`` hold column values only (x2many handled by the service)."""
        records = cls.add_unflushed(env, vals_list)
        cls.prepare_new(env, records)
        env.session.flush()
        return records

    @classmethod
    def prepare_new(cls, env: Environment, records: list[BaseModel]) -> None:
        """Complete new records before their INSERT (they have no id yet): override it to set
        what derives from their values (a line's unit and description from its product), so it
        goes in the INSERT instead of an UPDATE right after it. Look related rows up with
        ``env.session.get(model_cls, record.<field>_id)``: a new record's many2one attributes
        are not loaded before its INSERT."""

    @classmethod
    def add_unflushed(cls, env: Environment,
                      vals_list: list[dict[str, Any]]) -> list[BaseModel]:
        """Add records to the session without flushing: rows the core appends and nobody reads
        back at once (workflow history, tracked changes) go with the next flush, together."""
        records = []
        for vals in vals_list:
            record = cls()
            for name, value in vals.items():
                setattr(record, name, value)
            record.create_uid = env.uid
            record.write_uid = env.uid
            records.append(record)
        env.session.add_all(records)
        return records

    def write(self, vals: dict[str, Any]) -> None:
        """Update this record's columns from ``vals``."""
        for name, value in vals.items():
            setattr(self, name, value)
        self.write_uid = self.env.uid

    def unlink(self) -> None:
        """Delete this record."""
        self.env.session.delete(self)

    def lock(self) -> None:
        """Lock this record's row until the transaction ends and re-read it (one
        ``SELECT … FOR UPDATE``): call it before checking a state that an action changes, so
        that of two parallel actions the second waits and then sees the first one's result."""
        session = object_session(self)
        assert session is not None, f"{self!r} is not in a session"
        if (session.get_bind().dialect.name == "sqlite"
                and id(self) in session.info.get(CURRENT, ()) and columns_loaded(self)):
            return  # SQLite: this transaction holds the write lock and read the row in it
        session.flush()  # what is pending is written before the refresh reads the row again
        session.refresh(self, with_for_update=True)

    @classmethod
    def check_constraints_of(cls, records: list[BaseModel],
                             field_names: set[str] | None = None) -> None:
        """:meth:`check_constraints` of each of ``records``, the batch constraints called once
        for all of them."""
        batched = [m for m in _constraint_methods(cls)
                   if getattr(m, "__kangyi_batch__", False) and _concerned(m, field_names)]
        for method in batched:
            method(records)
        token = _BATCH_CHECKED.set(_BATCH_CHECKED.get() | {id(r) for r in records})
        try:
            for record in records:
                record.check_constraints(field_names)
        finally:
            _BATCH_CHECKED.reset(token)

    def check_constraints(self, field_names: set[str] | None = None) -> None:
        """Run the ``@constrains`` methods concerned by ``field_names`` (all when None)."""
        for method in _constraint_methods(type(self)):
            if not _concerned(method, field_names):
                continue
            if not getattr(method, "__kangyi_batch__", False):
                method(self)
            elif id(self) not in _BATCH_CHECKED.get():
                method([self])

    def column_values(self) -> dict[str, Any]:
        """The record's stored values by column name."""
        return {attr.key: attr.value for attr in inspect(self).attrs}


#: ``id()`` of the records whose batch constraints :meth:`BaseModel.check_constraints_of` ran
_BATCH_CHECKED: ContextVar[frozenset[int]] = ContextVar("kangyi_batch_checked",
                                                        default=frozenset())


def _concerned(method: Any, field_names: set[str] | None) -> bool:
    watched = method.__kangyi_constrains__
    return field_names is None or not watched or bool(field_names.intersection(watched))


def _constraint_methods(cls: type) -> list[Callable[..., Any]]:
    cached = cls.__dict__.get("__constraint_methods__")
    if cached is None:
        cached = []
        for name in dir(cls):
            if name.startswith("__"):
                continue
            member = getattr(cls, name, None)
            if callable(member) and getattr(member, "__kangyi_constrains__", None) is not None:
                cached.append(member)
        cls.__constraint_methods__ = cached  # type: ignore[attr-defined]
    return cached

