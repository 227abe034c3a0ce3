"""A registry: the models of one set of installed addons, composed from their fragments.

Each model is one class built as ``type(name, (frag_n, …, frag_1, BaseModel, Base), {})`` on a
``DeclarativeBase`` of its own per registry, with fragments stacked in addon-dependency order
(Tryton's pool technique). A fragment's fields include those of the plain classes it inherits
(mixins), each model getting its own copy. Two registries built for different addon sets live
side by side in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import pluggy
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table
from sqlalchemy.orm import DeclarativeBase, relationship

from .addons import AddonInfo
from .compute import build_graph
from .errors import AddonError
from .fields import FieldInfo, copy_field, declared_fields, field_info, table_name
from .graph import load_depends
from .i18n import _, _l
from .models import BaseModel

T = TypeVar("T")

__all__ = ["Registry", "call_per_addon"]

_BASE_FIELDS = {
    "id": FieldInfo("integer", _l("ID"), readonly=True),
    "create_date": FieldInfo("datetime", _l("Created on"), readonly=True),
    "write_date": FieldInfo("datetime", _l("Last updated on"), readonly=True),
    "create_uid": FieldInfo("many2one", _l("Created by"), readonly=True, comodel="res.users"),
    "write_uid": FieldInfo("many2one", _l("Last updated by"), readonly=True, comodel="res.users"),
}


def call_per_addon(
    pm: pluggy.PluginManager, hook: str, order: Sequence[str], **kwargs: Any
) -> list[tuple[str, Any]]:
    """Call ``hook`` on each addon separately, in ``order`` (dependency order, not pluggy's).

    :return: ``(addon, result)`` pairs, skipping addons that do not implement it or return None
    """
    impls = {impl.plugin_name: impl for impl in getattr(pm.hook, hook).get_hookimpls()}
    results = []
    for addon in order:
        impl = impls.get(addon)
        if impl is None:
            continue
        result = impl.function(**{arg: kwargs[arg] for arg in impl.argnames})
        if result is not None:
            results.append((addon, result))
    return results


def class_name(model_name: str) -> str:
    """``sale.order.line`` → ``SaleOrderLine``."""
    return "".join(part[:1].upper() + part[1:] for part in model_name.replace("_", ".").split("."))


class Registry:
    """The composed models of one ordered list of addons, with their plugin manager."""

    def __init__(self, addons: Sequence[AddonInfo], pm: pluggy.PluginManager) -> None:
        self.addons: dict[str, AddonInfo] = {info.name: info for info in addons}
        self.order: list[str] = [info.name for info in addons]
        self.pm = pm

        class Base(DeclarativeBase):
            metadata = MetaData()

        self.base = Base
        self.metadata: MetaData = Base.metadata
        self.models: dict[str, type[BaseModel]] = {}
        self.model_owner: dict[str, str] = {}
        self.table_owner: dict[str, str] = {}
        self.column_owner: dict[tuple[str, str], str] = {}
        self._derived: dict[Any, Any] = {}
        self._compose(self._collect_fragments())
        Base.registry.configure()
        self.compute_graph = build_graph(self)

    # -- lookup ---------------------------------------------------------------------------------

    def __getitem__(self, model: str) -> type[BaseModel]:
        return self.models[model]

    def __contains__(self, model: object) -> bool:
        return model in self.models

    def __iter__(self) -> Iterator[str]:
        return iter(self.models)

    def call(self, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """:func:`call_per_addon` over this registry's addons, in dependency order."""
        return call_per_addon(self.pm, hook, self.order, **kwargs)

    def derived(self, key: Any, make: Callable[[], T]) -> T:
        """What ``make()`` derives from this registry alone (menus, views…), made once.

        Kept on the registry itself, so it goes when the registry goes: a module-level mapping
        keyed by registry would keep every registry alive once its value refers back to it.
        """
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = make()  # a race makes it twice: harmless
            return value

    def tables_of(self, addon: str) -> list[str]:
        return [t for t, owner in self.table_owner.items() if owner == addon]

    def columns_of(self, addon: str) -> list[tuple[str, str]]:
        return [tc for tc, owner in self.column_owner.items() if owner == addon]

    # -- composition ----------------------------------------------------------------------------

    def _collect_fragments(self) -> dict[str, list[tuple[str, type]]]:
        fragments: dict[str, list[tuple[str, type]]] = {}
        for addon, frags in self.call("register_models"):
            for frag in frags:
                creates = "_inherit" not in frag.__dict__
                model = frag.__dict__.get("_name") if creates else frag.__dict__["_inherit"]
                if not model:
                    raise AddonError(
                        _(
                            "A model fragment of %(addon)s (%(cls)s) has no _name.",
                            addon=addon,
                            cls=frag.__qualname__,
                        )
                    )
                if creates:
                    if model in self.model_owner:
                        raise AddonError(
                            _(
                                "The model %(model)s is created by both %(a)s and %(b)s.",
                                model=model,
                                a=self.model_owner[model],
                                b=addon,
                            )
                        )
                    self.model_owner[model] = addon
                fragments.setdefault(model, []).append((addon, frag))
        for model, frags in fragments.items():
            creator = self.model_owner.get(model)
            if creator is None:
                raise AddonError(
                    _(
                        "%(addon)s extends the model %(model)s, which no installed addon creates.",
                        addon=frags[0][0],
                        model=model,
                    )
                )
            for addon, _frag in frags:
                if addon != creator and creator not in self._ancestors(addon):
                    raise AddonError(
                        _(
                            "%(addon)s extends %(model)s but does not depend on "
                            "%(creator)s, which creates it.",
                            addon=addon,
                            model=model,
                            creator=creator,
                        )
                    )
            frags.sort(key=lambda pair: (pair[0] != creator, self.order.index(pair[0])))
        return fragments

    def _ancestors(self, addon: str) -> set[str]:
        seen: set[str] = set()
        stack = [addon]
        while stack:
            for dep in load_depends(self.addons[stack.pop()], self.order):
                if dep not in seen and dep in self.addons:
                    seen.add(dep)
                    stack.append(dep)
        return seen

    def _compose(self, fragments: dict[str, list[tuple[str, type]]]) -> None:
        for model, frags in fragments.items():
            fields = {name: _base_field(name, model) for name in _BASE_FIELDS}
            owners: dict[str, str] = {}
            sources: dict[str, Any] = {}
            copies: dict[str, Any] = {}
            for addon, frag in frags:
                for attr, (value, klass) in declared_fields(frag).items():
                    if sources.get(attr) is value:
                        continue  # a mixin two fragments of the model inherit
                    sources[attr] = value
                    if klass is not frag:  # a mixin's: this model's own copy
                        value = copies[attr] = copy_field(value)
                    info = field_info(value)
                    assert info is not None
                    if attr in owners or attr in _BASE_FIELDS:
                        first = owners.get(attr, "base")
                        raise AddonError(
                            _(
                                "The field %(field)s of %(model)s is defined by both %(a)s "
                                "and %(b)s.",
                                field=attr,
                                model=model,
                                a=first,
                                b=addon,
                            )
                        )
                    owners[attr] = addon
                    info.name, info.model, info.addon = attr, model, addon
                    fields[attr] = info
            table = table_name(model)
            attrs = {
                "__tablename__": table,
                "_name": model,
                "__models__": self.models,
                "__fields__": fields,
                "__addons__": tuple(addon for addon, _f in frags),
                "__module__": frags[0][1].__module__,
                **copies,
            }
            bases = tuple(frag for _a, frag in reversed(frags)) + (BaseModel, self.base)
            self.models[model] = type(class_name(model), bases, attrs)
            # SQLite: an id is never handed out again (a deleted group's id reused by the next
            # addon's group would give its members that group); PostgreSQL's sequences never do
            self.models[model].__table__.dialect_kwargs["sqlite_autoincrement"] = True
            creator = self.model_owner[model]
            self.table_owner[table] = creator
            for attr, addon in owners.items():
                if fields[attr].stored and addon != creator:
                    self.column_owner[(table, attr)] = addon
        for model, cls in self.models.items():
            for info in list(cls.__fields__.values()):
                if info.type == "many2many" and not info.computed:
                    self._relation_table(cls, info)
                elif info.type == "many2one" and info.addon:
                    self._many2one_relationship(cls, info)
                if info.comodel and info.comodel not in self.models:
                    raise AddonError(
                        _(
                            "The field %(field)s of %(model)s points to %(comodel)s, "
                            "which no installed addon creates.",
                            field=info.name,
                            model=model,
                            comodel=info.comodel,
                        )
                    )

    def _relation_table(self, cls: type[BaseModel], info: FieldInfo) -> None:
        own, other = table_name(cls._name), table_name(info.comodel or "")
        info.relation = info.relation or f"{min(own, other)}_{max(own, other)}_rel"
        if own == other:
            info.column1, info.column2 = info.column1 or "id1", info.column2 or "id2"
        else:
            info.column1, info.column2 = info.column1 or f"{own}_id", info.column2 or f"{other}_id"
        if info.relation in self.metadata.tables:
            return  # declared from the other side too
        Table(
            info.relation,
            self.metadata,
            Column(
                info.column1, Integer, ForeignKey(f"{own}.id", ondelete="CASCADE"), primary_key=True
            ),
            Column(
                info.column2,
                Integer,
                ForeignKey(f"{other}.id", ondelete="CASCADE"),
                primary_key=True,
                index=True,
            ),
        )
        self.table_owner[info.relation] = info.addon

    def _many2one_relationship(self, cls: type[BaseModel], info: FieldInfo) -> None:
        """``partner_id`` also gives ``partner``, the record, for business code (read-only)."""
        attr = info.name[:-3] if info.name.endswith("_id") else None
        if not attr or attr in cls.__fields__ or hasattr(cls, attr):
            return
        column = cls.__table__.c[info.name]
        target = self.models[info.comodel or ""]
        options: dict[str, Any] = {"foreign_keys": [column], "viewonly": True}
        if target is cls:
            options["remote_side"] = [cls.__table__.c.id]
        setattr(cls, attr, relationship(target, **options))


def _base_field(name: str, model: str) -> FieldInfo:
    template = _BASE_FIELDS[name]
    return FieldInfo(
        template.type,
        template.string,
        readonly=True,
        comodel=template.comodel,
        name=name,
        model=model,
        addon="",
    )
