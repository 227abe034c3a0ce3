"""Declarative views: what the generic web UI shows of a model.

Addons return view specs (:class:`ListView`, :class:`FormView`, :class:`KanbanView`,
:class:`CalendarView`) and :class:`ViewExtension` objects from the ``register_views`` hook. The
core composes them once per registry, in addon dependency order: the first addon declaring a view
of a model and kind owns it, addons depending on it extend it (insert or hide a field or column
relative to another, add a filter or a button). A model without a declared view gets one made
from its fields, so every model can be opened.

Views only name fields; what a user may see is still decided by the model service (field groups
remove columns, access rights decide read-only).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import AddonError
from .i18n import _

if TYPE_CHECKING:
    from .fields import FieldInfo
    from .registry import Registry

__all__ = [
    "Field", "Filter", "Button", "Related", "ListView", "FormView", "KanbanView", "CalendarView",
    "ViewExtension", "Views", "views_of", "KINDS",
]

KINDS = ("list", "form", "kanban", "calendar")
#: the field types each widget can show
WIDGETS = {"textarea": ("char", "text"), "tags": ("many2many",), "lines": ("one2many",)}
#: options of :class:`Field` that only some field types have
_TYPED_OPTIONS = {"columns": ("one2many",), "subtotal": ("one2many",)}


@dataclasses.dataclass(frozen=True)
class Field:
    """A field in a view (a plain name works too).

    :param name: field name
    :param widget: override the widget chosen by type: ``textarea`` (char), ``tags``
        (many2many, the default), ``lines`` (one2many, the default); others are refused
    :param readonly: never editable in this view
    :param translate: show stored values through the translation catalog (group names…)
    :param columns: for one2many lines: the line fields shown and edited inline
    :param subtotal: for one2many lines: the fields multiplied into each line's live subtotal
    """

    name: str
    widget: str | None = None
    readonly: bool = False
    translate: bool = False
    columns: tuple[str, ...] = ()
    subtotal: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Filter:
    """A predefined search filter: a label and the domain it adds."""

    name: str
    label: Any
    domain: tuple[Any, ...]


@dataclasses.dataclass(frozen=True)
class Button:
    """A form header button calling the ``@public`` method ``method`` on the record.

    It shows only when the user may use it now: a member of one of ``groups`` (if any), the
    record's ``state`` one of ``states`` (if any), each ``(field, value)`` of ``when`` holding
    on the record (fields of the form, e.g. ``(("active", True),)``), and every ``(model,
    operation)`` of ``needs`` allowed to the user (a model not installed hides it: the method
    would fail). ``done`` is
    the message after it ran (else the method's returned text, else "<label>: done.");
    ``opens``: the model of the record whose id the method returns, opened next. With ``url``
    the button is a link to a page about the record (``{id}`` is replaced by the record's id),
    and ``method`` only names it.
    """

    method: str
    label: Any
    groups: tuple[str, ...] = ()
    primary: bool = False
    confirm: Any = None
    states: tuple[str, ...] = ()
    needs: tuple[tuple[str, str], ...] = ()
    when: tuple[tuple[str, Any], ...] = ()
    done: Any = None
    opens: str | None = None
    url: str | None = None


@dataclasses.dataclass(frozen=True)
class Related:
    """A smart button of a form: the documents related to the record, counted, opening them
    (one: its form; several: their list). Shown only when the user may read some
    (:mod:`core.related`).

    :param field: with no ``model``, a many2one (the document the record comes from) or a
        one2many (the documents made from it) of the form's model; with ``model``, the path
        from a record of ``model`` to the form's record (``"sale_id"``,
        ``"allocation_ids.order_id"``)
    :param model: the related documents' model (a model not installed hides the button)
    :param label: default: the field's label, else the model's description
    :param groups: only for members of one of these groups
    """

    field: str
    label: Any = None
    model: str | None = None
    groups: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class ListView:
    """Columns, search fields, predefined filters and group-by choices of a model's list."""

    model: str
    columns: tuple[Field | str, ...]
    search: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    group_by: tuple[str, ...] = ()
    order: str | None = None
    kind: str = dataclasses.field(default="list", init=False)


@dataclasses.dataclass(frozen=True)
class FormView:
    """Fields of a model's form, in order, and its header buttons."""

    model: str
    fields: tuple[Field | str, ...]
    buttons: tuple[Button, ...] = ()
    #: smart buttons: the documents related to the record
    related: tuple[Related, ...] = ()
    kind: str = dataclasses.field(default="form", init=False)


@dataclasses.dataclass(frozen=True)
class KanbanView:
    """Cards grouped in columns by ``group_by`` (a selection or many2one field).

    :param group_expand: for a many2one ``group_by``, show a column for every record of the
        co-model the user may read (in the co-model's order), empty ones too, as Odoo's
        ``group_expand`` does for stages; otherwise only the groups holding cards
    :param fold: boolean field of the co-model marking a column folded (collapsed, cards
        still counted); ignored when the co-model has no such field
    """

    model: str
    group_by: str
    title: str = "name"
    fields: tuple[str, ...] = ()
    group_expand: bool = False
    fold: str = "fold"
    kind: str = dataclasses.field(default="kanban", init=False)


@dataclasses.dataclass(frozen=True)
class CalendarView:
    """Records placed on a month grid by their ``date_field``."""

    model: str
    date_field: str
    title: str = "name"
    kind: str = dataclasses.field(default="calendar", init=False)


@dataclasses.dataclass(frozen=True)
class ViewExtension:
    """Changes an addon makes to a view of an addon it depends on.

    :param model: model of the view
    :param kind: ``list`` or ``form`` (``search`` is an alias of ``list`` for filters)
    :param add: fields or columns to insert, placed ``after`` or ``before`` an existing one
        (at the end when neither is given)
    :param hide: fields or columns to remove
    :param filters: predefined filters to add (list views)
    :param buttons: header buttons to add (form views)
    :param related: smart buttons to add (form views): a glue addon's links between the
        documents of the addons it joins
    :param search: fields to add to the search box (list views)
    :param lines: a one2many field of the form: ``add``, ``after``, ``before`` and ``hide`` then
        change the columns of its inline lines instead of the form's fields
    """

    model: str
    kind: str
    add: tuple[Field | str, ...] = ()
    after: str | None = None
    before: str | None = None
    hide: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    buttons: tuple[Button, ...] = ()
    search: tuple[str, ...] = ()
    lines: str | None = None
    related: tuple[Related, ...] = ()


def as_field(item: Field | str) -> Field:
    return item if isinstance(item, Field) else Field(item)


_HIDDEN_BY_DEFAULT = {"create_date", "write_date", "create_uid", "write_uid", "id"}
_LIST_TYPES = ("char", "integer", "decimal", "monetary", "boolean", "date", "datetime",
               "selection", "many2one", "reference")


def default_list(model: str, fields: dict[str, FieldInfo], rec_name: str) -> ListView:
    """A list view made from a model's fields: its name and up to five short fields."""
    names = [rec_name] if rec_name in fields else []
    for name, info in fields.items():
        if len(names) >= 6:
            break
        if name not in names and name not in _HIDDEN_BY_DEFAULT and info.type in _LIST_TYPES \
                and not info.groups:
            names.append(name)
    search = tuple(n for n in names if fields[n].type in ("char", "many2one"))[:3]
    return ListView(model, tuple(names), search=search)


def default_form(model: str, fields: dict[str, FieldInfo]) -> FormView:
    """A form view showing every editable field of a model."""
    names = [n for n, info in fields.items()
             if n not in _HIDDEN_BY_DEFAULT and info.type not in ("binary",)]
    return FormView(model, tuple(names))


def _insert(items: list[Field], ext: ViewExtension, owner: str) -> list[Field]:
    names = [f.name for f in items]
    anchor = ext.after or ext.before
    new = [as_field(f) for f in ext.add]
    if anchor is None:
        return items + new
    if anchor not in names:
        raise AddonError(_("The view extension of %(addon)s places fields relative to "
                           "%(anchor)s, which the %(kind)s view of %(model)s does not have.",
                           addon=owner, anchor=anchor, kind=ext.kind, model=ext.model))
    index = names.index(anchor) + (1 if ext.after else 0)
    return items[:index] + new + items[index:]


def _extend_lines(items: list[Field], ext: ViewExtension, owner: str) -> list[Field]:
    """Apply ``ext`` to the line columns of the one2many field ``ext.lines``."""
    names = [f.name for f in items]
    if ext.lines not in names:
        raise AddonError(_("The view extension of %(addon)s changes the lines of %(field)s, "
                           "which the %(kind)s view of %(model)s does not have.",
                           addon=owner, field=ext.lines, kind=ext.kind, model=ext.model))
    index = names.index(ext.lines)
    columns = [Field(c) for c in items[index].columns]
    if ext.add:
        columns = _insert(columns, ext, owner)
    columns = [c for c in columns if c.name not in ext.hide]
    items[index] = dataclasses.replace(items[index], columns=tuple(c.name for c in columns))
    return items


def _extend(view: Any, ext: ViewExtension, owner: str) -> Any:
    key = "columns" if view.kind == "list" else "fields"
    items = [as_field(f) for f in getattr(view, key)]
    if ext.lines:
        return dataclasses.replace(view, **{key: tuple(_extend_lines(items, ext, owner))})
    if ext.add:
        items = _insert(items, ext, owner)
    if ext.hide:
        items = [f for f in items if f.name not in ext.hide]
    changes: dict[str, Any] = {key: tuple(items)}
    if view.kind == "list":
        changes["filters"] = view.filters + ext.filters
        changes["search"] = view.search + tuple(s for s in ext.search if s not in view.search)
    else:
        changes["buttons"] = view.buttons + ext.buttons
        changes["related"] = view.related + ext.related
    return dataclasses.replace(view, **changes)


class Views:
    """The composed views of one registry."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.declared: dict[tuple[str, str], Any] = {}
        self.owner: dict[tuple[str, str], str] = {}
        extensions: list[tuple[str, ViewExtension]] = []
        for addon, specs in registry.call("register_views"):
            for spec in specs:
                if isinstance(spec, ViewExtension):
                    extensions.append((addon, spec))
                    continue
                key = (spec.model, spec.kind)
                if key in self.declared:
                    raise AddonError(_("The %(kind)s view of %(model)s is declared by both "
                                       "%(a)s and %(b)s; the second should extend it.",
                                       kind=spec.kind, model=spec.model, a=self.owner[key],
                                       b=addon))
                self._check_fields(addon, spec)
                self.declared[key] = spec
                self.owner[key] = addon
        for addon, ext in extensions:
            kind = "list" if ext.kind == "search" else ext.kind
            if ext.model not in registry:
                continue  # extending a view of an optional addon that is not installed
            key = (ext.model, kind)
            base = self.get(ext.model, kind)
            extended = _extend(base, dataclasses.replace(ext, kind=kind), addon)
            self._check_fields(addon, extended)
            self.declared[key] = extended

    def _check_fields(self, addon: str, spec: Any) -> None:
        if spec.model not in self.registry:
            raise AddonError(_("%(addon)s declares a view of %(model)s, which no installed addon "
                               "creates.", addon=addon, model=spec.model))
        fields = self.registry[spec.model].__fields__
        names = [as_field(f).name for f in getattr(spec, "columns", ())]
        names += [as_field(f).name for f in getattr(spec, "fields", ())]
        if spec.kind == "list":
            names += list(spec.search) + list(spec.group_by)
        for attr in ("date_field", "title"):
            if hasattr(spec, attr):
                names.append(getattr(spec, attr))
        if spec.kind == "kanban":
            names.append(spec.group_by)
        unknown = [n for n in names if n not in fields]
        if unknown:
            raise AddonError(_("The %(kind)s view of %(model)s from %(addon)s names unknown "
                               "fields: %(fields)s", kind=spec.kind, model=spec.model,
                               addon=addon, fields=", ".join(unknown)))
        for item in (*getattr(spec, "columns", ()), *getattr(spec, "fields", ())):
            self._check_options(addon, spec, as_field(item), fields[as_field(item).name])
        for related in getattr(spec, "related", ()):
            self._check_related(addon, spec, related)

    def _check_related(self, addon: str, spec: Any, related: Related) -> None:
        """A smart button names a many2one or one2many of the form's model, or a path from its
        ``model`` (when installed) to the form's model; anything else stops the install."""
        source = related.model or spec.model
        if source not in self.registry:
            return  # an optional addon's documents: no button
        cls, parts = self.registry[source], related.field.split(".")
        for part in parts:
            info = cls.__fields__.get(part)
            if info is None or info.comodel not in self.registry or (
                    related.model is None and info.type not in ("many2one", "one2many")):
                cls = None
                break
            cls = self.registry[info.comodel]
        if cls is None or (related.model is not None and cls._name != spec.model) or (
                related.model is None and len(parts) > 1):
            raise AddonError(_("The form view of %(model)s from %(addon)s has a smart button "
                               "on %(field)s of %(source)s, which leads to no related document "
                               "(a many2one or one2many of the form's model, or a path from "
                               "the documents' model to it).", model=spec.model, addon=addon,
                               field=related.field, source=source))

    def _check_options(self, addon: str, spec: Any, field: Field, info: FieldInfo) -> None:
        """A widget or an option the field's type does not have stops the install, naming it."""
        def refuse(option: str, types: Iterable[str]) -> None:
            raise AddonError(_("The %(kind)s view of %(model)s from %(addon)s gives %(field)s "
                               "(%(type)s) %(option)s, which only %(types)s fields take.",
                               kind=spec.kind, model=spec.model, addon=addon, field=field.name,
                               type=info.type, option=option, types=", ".join(types)))

        if field.widget is not None and field.widget not in WIDGETS:
            raise AddonError(_("The %(kind)s view of %(model)s from %(addon)s gives %(field)s "
                               "the unknown widget %(widget)s (known: %(known)s).",
                               kind=spec.kind, model=spec.model, addon=addon, field=field.name,
                               widget=field.widget, known=", ".join(WIDGETS)))
        if field.widget is not None and info.type not in WIDGETS[field.widget]:
            refuse(f'widget="{field.widget}"', WIDGETS[field.widget])
        for option, types in _TYPED_OPTIONS.items():
            if getattr(field, option) and info.type not in types:
                refuse(f"{option}=", types)
        if info.type == "one2many":
            line_fields = self.registry[info.comodel or ""].__fields__
            unknown = [c for c in (*field.columns, *field.subtotal) if c not in line_fields]
            if unknown:
                raise AddonError(_("The %(kind)s view of %(model)s from %(addon)s shows lines of "
                                   "%(field)s with unknown fields of %(comodel)s: %(fields)s",
                                   kind=spec.kind, model=spec.model, addon=addon,
                                   field=field.name, comodel=info.comodel,
                                   fields=", ".join(unknown)))

    def get(self, model: str, kind: str) -> Any:
        """The view of ``kind`` for ``model`` (a generated one for lists and forms)."""
        view = self.declared.get((model, kind))
        if view is not None:
            return view
        cls = self.registry[model]
        if kind == "list":
            return default_list(model, cls.__fields__, cls._rec_name)
        if kind == "form":
            return default_form(model, cls.__fields__)
        return None

    def kinds(self, model: str) -> list[str]:
        """The view kinds available for ``model`` (list and form always)."""
        return [k for k in KINDS if k in ("list", "form") or (model, k) in self.declared]


def views_of(registry: Registry) -> Views:
    """The composed views of ``registry``, built once per registry object."""
    return registry.derived(Views, lambda: Views(registry))


def field_names(items: Iterable[Field | str]) -> list[str]:
    return [as_field(f).name for f in items]


def visible(items: Sequence[Field | str], allowed: dict[str, Any]) -> list[Field]:
    """The fields of ``items`` present in ``allowed`` (``fields_get`` of the user)."""
    return [f for f in (as_field(i) for i in items) if f.name in allowed]
