"""Field declarations for model fragments.

Stored fields are ordinary SQLAlchemy ``mapped_column`` objects carrying a :class:`FieldInfo` in
``column.info["field"]``; x2many fields are descriptors the registry turns into relation metadata.
Use them with typed annotations::

    class Partner:
        _name = "res.partner"
        name: Mapped[str] = fields.Char(_l("Name"), required=True)
        company_id: Mapped[Optional[int]] = fields.Many2one("res.company", _l("Company"))
        child_ids = fields.One2many("res.partner", "parent_id", _l("Contacts"))

Any scalar or many2one field may be **computed** (``compute="_method"``, its dependencies declared
with :func:`core.depends`) or **related** (``related="partner_id.country_id"``); it is stored (a
column the framework recomputes, searchable and sortable) with ``store=True``, computed on read
otherwise, and read-only unless an ``inverse="_method"`` writes what it is computed from (see
:mod:`core.compute`). A one2many or many2many field may be computed too, on read only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy import sql as sa_sql
from sqlalchemy import types as sa
from sqlalchemy.orm import MappedColumn, mapped_column

__all__ = [
    "FieldInfo",
    "Char",
    "Text",
    "Integer",
    "Decimal",
    "Monetary",
    "Boolean",
    "Date",
    "Datetime",
    "Selection",
    "Many2one",
    "Reference",
    "One2many",
    "Many2many",
    "Binary",
    "Password",
    "Computed",
    "field_info",
    "declared_fields",
    "copy_field",
]

SelectionList = Sequence[tuple[str, Any]]


@dataclasses.dataclass
class FieldInfo:
    """What the service layer, views and APIs know about one field."""

    type: str
    string: Any = None
    required: bool = False
    readonly: bool = False
    help: Any = None
    selection: SelectionList | None = None
    comodel: str | None = None
    inverse_name: str | None = None
    relation: str | None = None
    column1: str | None = None
    column2: str | None = None
    groups: tuple[str, ...] = ()
    default: Any = None
    digits: tuple[int, int] | None = None
    size: int | None = None
    ondelete: str | None = None
    tracking: bool = False
    #: ``Char``/``Text``: the stored (English) value is shown in the reader's language through
    #: the catalogs (see :mod:`core.translate`)
    translate: bool = False
    #: a code or technical key (a login, a model name, a domain): shown as it is, marked
    #: ``translate="no"`` in pages (never translated, not text to translate)
    code: bool = False
    #: name of the model method computing the field (or None); see :mod:`core.compute`
    compute: str | None = None
    #: ``"partner_id.country_id"``: the value at the end of a many2one path
    related: str | None = None
    #: computed and related fields are columns only with ``store=True``
    store: bool = True
    #: dependencies declared on the field (added to the compute method's ``@depends``)
    depends: tuple[str, ...] = ()
    #: compute as the superuser (default: stored fields yes, fields computed on read no)
    compute_sudo: bool | None = None
    #: name of the model method writing a computed field's value back to what it is computed
    #: from (the field is then writable); see :meth:`core.service.ModelService.write`
    inverse: str | None = None
    #: every dependency of a computed field (filled when a registry is built)
    all_depends: tuple[str, ...] = ()

    #: editable only while the record's ``state`` is one of these (Odoo's readonly per state;
    #: forms show the field read-only and send nothing of it otherwise); empty: in every state
    edit_states: tuple[str, ...] = ()
    name: str = ""
    model: str = ""
    addon: str = ""

    @property
    def stored(self) -> bool:
        return self.store and self.type not in ("one2many", "many2many")

    @property
    def computed(self) -> bool:
        """Computed or related: the framework sets its value, never a client."""
        return self.compute is not None or self.related is not None

    @property
    def label(self) -> str:
        return str(self.string) if self.string is not None else self.name.replace("_", " ").title()

    def default_value(self, env: Any) -> Any:
        return self.default(env) if callable(self.default) else self.default


def _column(
    sa_type: Any,
    info: FieldInfo,
    *args: Any,
    index: bool = False,
    unique: bool = False,
    **kwargs: Any,
) -> Any:
    if not info.store:
        return Computed(info)
    return mapped_column(
        sa_type,
        *args,
        nullable=not info.required,
        index=index,
        unique=unique or None,
        info={"field": info},
        **kwargs,
    )


def _info(type_: str, string: Any, **kw: Any) -> FieldInfo:
    if isinstance(kw.get("edit_states"), str):
        kw["edit_states"] = (kw["edit_states"],)
    for option in ("translate", "code"):
        if kw.get(option) and type_ not in ("char", "text"):
            raise TypeError(f"a {type_} field cannot be {option}=True (Char and Text only)")
    groups = kw.pop("groups", ()) or ()
    if isinstance(groups, str):
        groups = tuple(g.strip() for g in groups.split(",") if g.strip())
    if kw.get("compute") or kw.get("related"):
        if type_ in ("password", "binary") or (
                type_ in ("one2many", "many2many") and (kw.get("related") or kw.get("store")
                                                        or kw.get("inverse"))):
            raise TypeError(f"a {type_} field cannot be related, stored computed, or have an "
                            "inverse" if type_ in ("one2many", "many2many")
                            else f"a {type_} field cannot be computed or related")
        if kw.get("inverse") and not kw.get("compute"):
            raise TypeError("inverse= goes with compute=")
        kw.setdefault("store", False)
        kw["readonly"] = kw.get("readonly", False) if kw.get("inverse") else True
        kw["depends"] = tuple(kw.get("depends", ()))
        kw.pop("default", None)  # the compute gives the value
    elif "store" in kw or "depends" in kw or "inverse" in kw:
        raise TypeError("store=, depends= and inverse= go with compute= or related=")
    return FieldInfo(type=type_, string=string, groups=tuple(groups), **kw)


def Char(
    string: Any = None, *, size: int = 255, index: bool = False, unique: bool = False, **kw: Any
) -> MappedColumn[Any]:
    """A short text, ``VARCHAR(size)``."""
    return _column(
        sa.String(size), _info("char", string, size=size, **kw), index=index, unique=unique
    )


def Text(string: Any = None, **kw: Any) -> MappedColumn[Any]:
    """A long text."""
    return _column(sa.Text(), _info("text", string, **kw))


def Integer(string: Any = None, *, index: bool = False, **kw: Any) -> MappedColumn[Any]:
    """A whole number."""
    return _column(sa.Integer(), _info("integer", string, **kw), index=index)


def Decimal(
    string: Any = None, *, digits: tuple[int, int] = (16, 4), **kw: Any
) -> MappedColumn[Any]:
    """An exact number (quantities, rates), ``NUMERIC(precision, scale)``, never a float."""
    return _column(
        sa.Numeric(*digits, asdecimal=True), _info("decimal", string, digits=digits, **kw)
    )


def Monetary(
    string: Any = None, *, digits: tuple[int, int] = (16, 2), **kw: Any
) -> MappedColumn[Any]:
    """An amount of money, ``NUMERIC(16, 2)`` by default."""
    return _column(
        sa.Numeric(*digits, asdecimal=True), _info("monetary", string, digits=digits, **kw)
    )


def Boolean(string: Any = None, **kw: Any) -> MappedColumn[Any]:
    """True or false; never NULL (defaults to False)."""
    kw.setdefault("default", False)
    info = _info("boolean", string, **kw)
    if not info.store:
        return Computed(info)  # type: ignore[return-value]
    return mapped_column(
        sa.Boolean(),
        nullable=False,
        default=False,
        server_default=sa_sql.false(),
        info={"field": info},
    )


def Date(string: Any = None, *, index: bool = False, **kw: Any) -> MappedColumn[Any]:
    """A calendar date."""
    return _column(sa.Date(), _info("date", string, **kw), index=index)


def Datetime(string: Any = None, *, index: bool = False, **kw: Any) -> MappedColumn[Any]:
    """A point in time, stored naive in UTC."""
    return _column(sa.DateTime(), _info("datetime", string, **kw), index=index)


def Password(string: Any = None, **kw: Any) -> MappedColumn[Any]:
    """A secret: written in clear, stored hashed, never read back nor searched by any door."""
    return _column(sa.String(255), _info("password", string, **kw))


def Binary(string: Any = None, **kw: Any) -> MappedColumn[Any]:
    """Raw bytes (small files only; attachments hold large ones)."""
    return _column(sa.LargeBinary(), _info("binary", string, **kw))


def Selection(
    selection: SelectionList, string: Any = None, *, index: bool = False, **kw: Any
) -> MappedColumn[Any]:
    """One key out of a fixed list of ``(key, label)`` pairs."""
    size = max((len(k) for k, _ in selection), default=16)
    info = _info("selection", string, selection=list(selection), **kw)
    return _column(sa.String(max(size, 16)), info, index=index)


def Many2one(
    comodel: str, string: Any = None, *, ondelete: str = "SET NULL", index: bool = True,
    cycle_key: str | None = None, **kw: Any
) -> MappedColumn[Any]:
    """A reference to one record of ``comodel``; the column holds its id.

    :param cycle_key: the name of the foreign key when it closes a cycle of references between
        tables (a department's manager is an employee of a department): it is then created
        after the tables (PostgreSQL's own name, ``<table>_<column>_fkey``, is a good choice)
    """
    info = _info("many2one", string, comodel=comodel, ondelete=ondelete, **kw)
    target = f"{table_name(comodel)}.id"
    key = ForeignKey(target, ondelete=ondelete, use_alter=cycle_key is not None, name=cycle_key)
    return _column(sa.Integer(), info, key, index=index)


def Reference(selection: SelectionList | None = None, string: Any = None, *, size: int = 128,
              index: bool = False, **kw: Any) -> MappedColumn[Any]:
    """A link to one record of any model (Odoo's ``fields.Reference``), stored as the text
    ``"model,id"``; pages show it as a link to the record, named (see :mod:`core.references`).

    :param selection: the models it may name, as ``(model, label)`` pairs (None: any model)
    """
    info = _info("reference", string, selection=list(selection) if selection else None,
                 size=size, **kw)
    return _column(sa.String(size), info, index=index)


class Computed:
    """Descriptor of a field computed on read (not stored): reading it on a record computes it
    (:func:`core.recompute.compute_values` computes many records at once); the compute method
    assigns it."""

    def __init__(self, info: FieldInfo) -> None:
        self.info = info

    def __set_name__(self, owner: type, name: str) -> None:
        self.info.name = self.info.name or name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        slot = f"_computed_{self.info.name}"
        if slot not in obj.__dict__:  # not being computed right now: compute it
            from .recompute import compute_values

            return compute_values(obj.env, type(obj), [obj], [self.info])[obj.id][self.info.name]
        return obj.__dict__[slot]

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[f"_computed_{self.info.name}"] = value


class _X2many:
    """Descriptor for fields not stored in the model's own table."""

    def __init__(self, info: FieldInfo) -> None:
        self.info = info

    def __set_name__(self, owner: type, name: str) -> None:
        self.info.name = self.info.name or name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        if self.info.name in obj.__dict__:
            return obj.__dict__[self.info.name]
        env = obj.env
        if self.info.computed:
            slot = f"_computed_{self.info.name}"
            if slot in obj.__dict__:  # being computed: what the method assigned
                return obj.__dict__[slot]
            from .recompute import compute_values

            ids = compute_values(env, type(obj), [obj], [self.info])[obj.id][self.info.name]
            return env[self.info.comodel].browse(ids)
        prefetched = env.session.info.get(PREFETCH, {}).get((self.info.model, self.info.name))
        if callable(prefetched):  # loaded for the whole batch when first read
            prefetched = prefetched()
        if prefetched is not None and obj.id in prefetched:
            ids = prefetched[obj.id]  # loaded with the batch being computed
        else:
            ids = env[self.info.model].read([obj.id], [self.info.name])[0][self.info.name]
        return env[self.info.comodel].browse(ids)

    def __set__(self, obj: Any, value: Any) -> None:
        """A compute method assigning a computed x2many (records or ids); other code setting
        a value on a record only shadows the field on that object, as before."""
        computed = self.info.computed
        obj.__dict__[f"_computed_{self.info.name}" if computed else self.info.name] = value


def One2many(comodel: str, inverse_name: str | None = None, string: Any = None,
             **kw: Any) -> _X2many:
    """The records of ``comodel`` whose ``inverse_name`` points at this record (or, with
    ``compute=``, the records the method gives)."""
    if not inverse_name and not kw.get("compute"):
        raise TypeError("a one2many field needs inverse_name unless it is computed")
    return _X2many(_info("one2many", string, comodel=comodel, inverse_name=inverse_name, **kw))


def Many2many(
    comodel: str,
    string: Any = None,
    *,
    relation: str | None = None,
    column1: str | None = None,
    column2: str | None = None,
    **kw: Any,
) -> _X2many:
    """Links to any number of ``comodel`` records through a relation table."""
    info = _info(
        "many2many",
        string,
        comodel=comodel,
        relation=relation,
        column1=column1,
        column2=column2,
        **kw,
    )
    return _X2many(info)


#: ``session.info`` key: ``{(model, x2many field): {id: [ids]}}`` loaded for a compute batch (or
#: a function loading it, and answering it, when first read)
PREFETCH = "kangyi.prefetch"


def table_name(model_name: str) -> str:
    """``sale.order`` → ``sale_order``."""
    return model_name.replace(".", "_")


def field_info(value: Any) -> FieldInfo | None:
    """The FieldInfo behind a fragment attribute, or None if it is not a field."""
    if isinstance(value, MappedColumn):
        return value.column.info.get("field")
    if isinstance(value, (_X2many, Computed)):
        return value.info
    return None


def declared_fields(cls: type) -> dict[str, tuple[Any, type]]:
    """The fields of a model fragment, its mixins' included: ``{name: (field, class defining
    it)}`` for every attribute that is a field where Python's lookup along ``cls.__mro__`` finds
    it (a fragment overrides a mixin's field, or hides it with a non-field), in declaration
    order, the mixins' (base classes') first."""
    found: dict[str, tuple[Any, type]] = {}
    for klass in reversed(cls.__mro__[:-1]):  # object has none
        for name in klass.__dict__:
            owner = next(k for k in cls.__mro__ if name in k.__dict__)
            value = owner.__dict__[name]
            if field_info(value) is not None:
                found.setdefault(name, (value, owner))
            else:
                found.pop(name, None)
    return found


def copy_field(value: Any) -> Any:
    """A new field object with a copy of ``value``'s FieldInfo: a mixin's field, one per model
    inheriting it (the registry names each field after its model)."""
    info = dataclasses.replace(field_info(value))  # type: ignore[type-var]
    if isinstance(value, MappedColumn):
        copy = value._copy()
        copy.column.info["field"] = info
        return copy
    return type(value)(info)
