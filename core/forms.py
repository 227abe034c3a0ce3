"""WTForms classes generated from a model and its form view (never written by hand per model).

:func:`form_class` builds a Flask-WTF form (CSRF included) whose fields follow the model's field
types: text inputs, numbers kept as :class:`~decimal.Decimal`, dates, selections, many2one with
search-as-you-type, many2many tags and one2many editable lines (a ``FieldList`` of line forms).
:func:`form_values` turns a validated form back into the values and x2many commands the model
service expects, so the service still does the real validation and access checks.
"""

from __future__ import annotations

import dataclasses
import decimal
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Field as WTField
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, Optional

from .i18n import _
from .integrity import edit_states
from .values import shown_scale
from .views import Field as ViewField
from .views import as_field
from .widgets import quick_widget

if TYPE_CHECKING:
    from .fields import FieldInfo

__all__ = ["FormSpec", "ModelForm", "form_class", "form_values", "plain_value", "Many2oneField",
           "Many2manyField"]

#: ``resolve(comodel, ids) -> {id: display name}``
Resolver = Callable[[str, list[int]], dict[int, str]]


class ReferenceField(WTField):
    """A reference to a record of one of ``models`` (``(model, label)`` pairs), its data the
    stored ``"model,id"``: posted as the kind of record (``<name>_model``), the record's id
    (``<name>``) and its name (``<name>_display``, cleared: no record), as a many2one is;
    pages show it with :mod:`core.web.references`."""

    kind = "reference"

    def __init__(self, label: Any = None, validators: Any = None,
                 models: Sequence[tuple[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.models = [(model, str(text)) for model, text in models]
        self._chosen: str | None = None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self._chosen = formdata.get(f"{self.name}_model") if formdata is not None else None
        super().process(formdata, data, extra_filters)
        if formdata is not None and f"{self.name}_display" in formdata \
                and not formdata.get(f"{self.name}_display", "").strip():
            self.data = None

    def process_data(self, value: Any) -> None:
        self.data = value or None

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        if not text.isdigit() or self._chosen not in {model for model, _label in self.models}:
            raise ValueError(_("Choose a record from the list."))
        self.data = f"{self._chosen},{int(text)}"

    def _value(self) -> str:
        return self.data or ""


class Many2oneField(WTField):
    """A reference: the record id in a hidden input, its name in a search-as-you-type input."""

    kind = "many2one"

    def __init__(self, label: Any = None, validators: Any = None, comodel: str = "",
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.comodel = comodel
        self.display = ""

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None and f"{self.name}_display" in formdata:
            self.display = formdata.get(f"{self.name}_display", "")
            if not self.display.strip():
                self.data = None

    def process_data(self, value: Any) -> None:
        if isinstance(value, (list, tuple)) and value:
            self.data, self.display = int(value[0]), str(value[1])
        else:
            self.data = int(value) if value else None

    def process_formdata(self, valuelist: list[str]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(_("Choose a record from the list.")) from None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class Many2manyField(WTField):
    """Links to several records, shown as removable tags with a search input to add more."""

    kind = "many2many"

    def __init__(self, label: Any = None, validators: Any = None, comodel: str = "",
                 resolve: Resolver | None = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.comodel = comodel
        self.resolve = resolve
        self.names: dict[int, str] = {}

    def process_data(self, value: Any) -> None:
        self.data = [int(v) for v in (value or [])]

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            self.data = list(dict.fromkeys(int(v) for v in valuelist if v.strip()))
        except ValueError:
            self.data = []
            raise ValueError(_("Choose records from the list.")) from None

    def tags(self) -> list[tuple[int, str]]:
        """``(id, name)`` of the linked records, for rendering."""
        ids = self.data or []
        missing = [i for i in ids if i not in self.names]
        if missing and self.resolve is not None:
            self.names.update(self.resolve(self.comodel, missing))
        return [(i, self.names.get(i, str(i))) for i in ids]


class NumberField(DecimalField):
    """A decimal input showing the number as lists do (:func:`core.values.shown_scale`)."""

    def __init__(self, *args: Any, info: FieldInfo | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.info = info

    def _value(self) -> str:
        if self.raw_data or not isinstance(self.data, decimal.Decimal) \
                or not self.data.is_finite():
            return str(super()._value())
        return format(self.data, f".{shown_scale(self.info, self.data)}f")


class LinesField(FieldList):
    """One2many lines edited inline; keeps the line ids to compute update/delete commands."""

    kind = "one2many"

    def __init__(self, *args: Any, subtotal: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subtotal = subtotal

    def line_errors(self) -> list[str]:
        """The errors of each line, as "Line 2: Quantity: …" (shown above the table; each
        cell shows its own too)."""
        return [_("Line %(n)s: %(field)s: %(error)s", n=index, field=entry.form[name].label.text,
                  error=error)
                for index, entry in enumerate(self.entries, 1)
                for name, errors in entry.form.errors.items() for error in errors]


_SHOWN_ONLY: dict[type, type] = {}


def shown_only(field_class: type) -> type:
    """``field_class`` made display-only: it shows the value it is given, ignores whatever is
    posted for it and never fails validation (a read-only column or line table)."""
    if field_class not in _SHOWN_ONLY:
        def process(self: Any, formdata: Any, data: Any = unset_value,
                    extra_filters: Any = None) -> None:
            field_class.process(self, None, data, extra_filters)

        def validate(self: Any, form: Any, extra_validators: Any = ()) -> bool:
            self.errors = []
            return True

        _SHOWN_ONLY[field_class] = type(field_class.__name__, (field_class,), {
            "process": process, "validate": validate, "shown_only": True,
            "__module__": __name__})
    return _SHOWN_ONLY[field_class]


def _display_only(unbound: Any) -> Any:
    unbound.field_class = shown_only(unbound.field_class)
    return unbound


class ModelForm(FlaskForm):
    """Base of the generated forms: validates only the fields in ``editable`` when it is set
    (the fields the user may change now), so a field shown read-only — by the view, the model,
    a sequence or the record's state — is never validated as input the browser does not send."""

    editable: set[str] | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        if self.editable is None:
            return bool(super().validate(extra_validators))
        success = True
        for name, field in self._fields.items():
            if name != "csrf_token" and name not in self.editable:
                continue
            inline = getattr(self.__class__, f"validate_{name}", None)
            if not field.validate(self, [inline] if inline is not None else []):
                success = False
        return success


@dataclasses.dataclass
class FormSpec:
    """What a generated form holds: the fields shown, which are editable, and line specs.

    Generated classes and their specs are cached and shared by requests (see
    ``core.web.records``): never change one in place.
    """

    fields: list[ViewField]
    infos: dict[str, FieldInfo]
    editable: set[str]
    lines: dict[str, list[str]]
    #: columns of each line table shown read-only (all of them when the table is read-only)
    readonly_columns: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    #: editable line tables whose lines the user may also remove
    removable: set[str] = dataclasses.field(default_factory=set)
    #: the states in which each editable field may change, by name (absent or empty: every
    #: state), as the model service enforces them (:func:`core.integrity.edit_states`)
    edit_states: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def editable_now(self, record: dict[str, Any] | None) -> set[str]:
        """The fields the user may change in ``record``'s current state; every editable field
        of a new record or of a record without a state."""
        state = (record or {}).get("state")
        if not state:
            return set(self.editable)
        return {name for name in self.editable
                if state in (self.edit_states.get(name) or (state,))}


def _fixed(info: FieldInfo) -> bool:
    """Whether a form only shows ``info``: read-only, or a reference naming no models to
    choose from."""
    return info.readonly or (info.type == "reference" and not info.selection)


def _validators(info: FieldInfo, required: bool) -> list[Any]:
    result: list[Any] = [InputRequired()] if required else [Optional()]
    if info.type == "char" and info.size:
        result.append(Length(max=info.size))
    return result


def _wt_field(info: FieldInfo, spec: ViewField, resolve: Resolver,
              line_form: type[Form] | None = None, writable: bool = True) -> Any:
    """The unbound WTForms field for one model field (inputs with the quick widgets); a field
    the form does not write is never required (it is shown, not posted)."""
    return quick_widget(_unbound_field(info, spec, resolve, line_form, writable))


def _unbound_field(info: FieldInfo, spec: ViewField, resolve: Resolver,
                   line_form: type[Form] | None, writable: bool = True) -> Any:
    label = info.label
    required = info.required and info.type != "boolean" and writable
    validators = _validators(info, required)
    kind = spec.widget or info.type
    if info.type == "one2many":
        assert line_form is not None
        return LinesField(FormField(line_form), label, min_entries=0, subtotal=spec.subtotal)
    if kind in ("text", "textarea"):
        return TextAreaField(label, validators)
    if kind == "integer":
        return IntegerField(label, validators)
    if kind in ("decimal", "monetary"):
        return NumberField(label, validators, places=None, info=info)
    if kind == "boolean":
        return BooleanField(label)
    if kind == "date":
        return DateField(label, validators)
    if kind == "datetime":
        return DateTimeLocalField(label, validators,
                                  format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                                          "%Y-%m-%d %H:%M"])
    if kind == "selection":
        choices = [SelectChoice(key, str(value)) for key, value in info.selection or ()]
        if not required:
            choices.insert(0, SelectChoice("", ""))
        return SelectField(label, validators, choices=choices)
    if kind == "many2one":
        return Many2oneField(label, validators, comodel=info.comodel or "")
    if kind in ("many2many", "tags"):
        return Many2manyField(label, comodel=info.comodel or "", resolve=resolve)
    if kind == "password":
        return PasswordField(label, [Optional()])
    if kind == "reference":
        return ReferenceField(label, validators, models=info.selection or ())
    return StringField(label, validators)


def _line_form(comodel_fields: dict[str, FieldInfo], columns: list[str],
               resolve: Resolver, readonly: set[str]) -> type[Form]:
    """A plain (CSRF-less) WTForms class for one one2many line (``readonly`` columns shown
    only)."""
    attrs: dict[str, Any] = {"id": IntegerField(widget=_hidden_widget, validators=[Optional()])}
    for name in columns:
        field = _wt_field(comodel_fields[name], ViewField(name), resolve)
        attrs[name] = _display_only(field) if name in readonly else field
    return type("LineForm", (LineForm,), attrs)


class LineForm(Form):
    """Base of the line forms: a plain WTForms form (the parent form carries the CSRF token)
    whose built-in messages ("This field is required.") speak the user's language, as the
    parent FlaskForm's do."""

    class Meta:
        def get_translations(self, form: Form) -> Any:
            return FlaskForm.Meta.get_translations(self, form)


def _hidden_widget(field: Any, **kwargs: Any) -> Markup:
    value = "" if field.data is None else field.data
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        escape(field.name), escape(str(value)))


def form_class(fields_desc: dict[str, Any], infos: dict[str, FieldInfo],
               view_fields: list[Any], editable: bool, line_fields: Callable[[str], dict],
               resolve: Resolver, default_line_columns: Callable[[str, str], list[str]],
               include_passwords: bool = False,
               lines_editable: Callable[[str], bool] = lambda comodel: True,
               lines_removable: Callable[[str], bool] = lambda comodel: True,
               model: type | None = None) -> tuple[type[FlaskForm], FormSpec]:
    """A FlaskForm class for a model's form view, and the spec used to read it back.

    :param fields_desc: ``fields_get`` of the user (fields the user may not see are absent)
    :param infos: the model's :class:`~core.fields.FieldInfo` by name
    :param view_fields: the form view's fields
    :param editable: whether the user may write the record at all
    :param line_fields: ``comodel -> {name: FieldInfo}`` readable by the user, for one2many lines
    :param resolve: ``(comodel, ids) -> {id: name}`` for many2many tags
    :param default_line_columns: ``(comodel, inverse) -> columns`` when the view names none
    :param include_passwords: show password fields (write-only) to users who may write
    :param lines_editable: ``comodel -> bool``: whether the user may change and add lines of
        that model (else line tables of it are read-only)
    :param lines_removable: ``comodel -> bool``: whether the user may also remove them
    :param model: the model's class, whose fields change only in some states (see
        :meth:`FormSpec.editable_now`)
    """
    shown: list[ViewField] = []
    for item in view_fields:
        spec = as_field(item)
        info = infos.get(spec.name)
        if info is None:
            continue
        if info.type == "password":
            if include_passwords and editable:
                shown.append(spec)
            continue
        if spec.name in fields_desc:
            shown.append(spec)
    attrs: dict[str, Any] = {}
    editable_names: set[str] = set()
    lines: dict[str, list[str]] = {}
    readonly_columns: dict[str, set[str]] = {}
    removable: set[str] = set()
    for spec in shown:
        info = infos[spec.name]
        line_form = None
        writable = editable and not (_fixed(info) or spec.readonly)
        if info.type == "one2many":
            comodel_fields = line_fields(info.comodel or "")
            columns = [c for c in (spec.columns or default_line_columns(
                info.comodel or "", info.inverse_name or "")) if c in comodel_fields]
            writable = writable and lines_editable(info.comodel or "")
            lines[spec.name] = columns
            readonly_columns[spec.name] = {c for c in columns
                                           if not writable or _fixed(comodel_fields[c])}
            line_form = _line_form(comodel_fields, columns, resolve, readonly_columns[spec.name])
            if writable and lines_removable(info.comodel or ""):
                removable.add(spec.name)
        field = _wt_field(info, spec, resolve, line_form, writable)
        attrs[spec.name] = field if writable or info.type != "one2many" else _display_only(field)
        if writable:
            editable_names.add(spec.name)
    form = type("ModelForm", (ModelForm,), attrs)
    states = {name: allowed for name in editable_names
              if model is not None and (allowed := edit_states(model, infos[name]))}
    return form, FormSpec(shown, infos, editable_names, lines, readonly_columns, removable,
                          states)


def initial_data(record: dict[str, Any], spec: FormSpec,
                 line_rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Form data from a ``read`` result (one2many lines from ``line_rows``)."""
    data = {}
    for view_field in spec.fields:
        name = view_field.name
        if name in spec.lines:
            data[name] = line_rows.get(name, [])
        elif spec.infos[name].type != "password":
            data[name] = record.get(name)
    return data


def plain_value(info: FieldInfo, value: Any) -> Any:
    """A form field's value as ``create``/``write`` take it."""
    if info.type == "many2one":
        return value or False
    if info.type == "many2many":
        return [(6, 0, list(value or []))]
    if info.type in ("char", "text") and value == "" and not info.required:
        return False
    if info.type == "selection" and value == "":
        return False
    return value


def form_values(form: FlaskForm, spec: FormSpec, old_lines: dict[str, list[int]],
                line_infos: Callable[[str], dict],
                editable: set[str] | None = None) -> dict[str, Any]:
    """Values for ``create``/``write`` from a validated form: only the fields editable now
    (``editable``, by default every editable field of the view).

    One2many lines become commands: ``(1, id, vals)`` for kept lines, ``(0, 0, vals)`` for new
    ones and ``(2, id)`` for lines the user removed.
    """
    vals: dict[str, Any] = {}
    editable = spec.editable if editable is None else editable
    for view_field in spec.fields:
        name = view_field.name
        if name not in editable:
            continue
        info = spec.infos[name]
        field = form[name]
        if info.type == "password":
            if field.data:
                vals[name] = field.data
            continue
        if name in spec.lines:
            comodel_infos = line_infos(info.comodel or "")
            commands: list[Any] = []
            kept = set()
            columns = [c for c in spec.lines[name] if c not in spec.readonly_columns[name]]
            for entry in field.entries:
                line = entry.form
                line_vals = {c: plain_value(comodel_infos[c], line[c].data) for c in columns}
                line_id = line["id"].data
                if line_id and line_id in old_lines.get(name, []):
                    kept.add(line_id)
                    commands.append((1, line_id, line_vals))
                else:
                    commands.append((0, 0, line_vals))
            commands = [(2, i) for i in old_lines.get(name, []) if i not in kept] + commands
            vals[name] = commands
            continue
        vals[name] = plain_value(info, field.data)
    return vals
