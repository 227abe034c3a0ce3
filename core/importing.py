"""Importing records from CSV or XLSX: a preview, a row-by-row report, all or nothing.

The first row names the columns, by field name (``phone``), by label in English (``Phone``) or
in the user's language (``电话``). Cells are converted by field type: many2one cells hold the
target's name (its display name, else its ``name``), many2many cells comma-separated names,
selections a key or a label, booleans 1/0, yes/no, 是/否; an empty cell leaves the field to its
default. Every row goes through the model service (``env[model].create`` or ``write``), so
access rights, record rules, required fields and constraints apply; any error in any row rolls
the whole import back, and so does a preview.

A model tunes its import with class attributes (an addon's fragment may set them):

- ``_import_match``: a field identifying an existing record (``default_code``); a row whose
  value matches one record (archived ones included) updates it instead of creating one.
- ``_import_columns``: the columns suggested on the import page.
- ``_import_warnings(env, vals)``: a classmethod returning warnings for a row before it is
  imported (possible duplicates…); warnings never block the import.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from typing import Any, NamedTuple

from .errors import KangyiError, ValidationError
from .i18n import _

__all__ = ["Issue", "ImportResult", "read_table", "import_records", "importable_fields",
           "MAX_ROWS"]

MAX_ROWS = 10_000
_TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}
_FALSE = {"0", "false", "no", "n", "否"}
_SYSTEM = {"id", "create_date", "write_date", "create_uid", "write_uid"}


class Issue(NamedTuple):
    """An error or warning of the import: file line (the header is line 1), column, message."""

    line: int
    column: str
    message: str


@dataclasses.dataclass
class ImportResult:
    """What an import did or would do: the rows read, the issues, the records touched."""

    columns: list[str]
    fields: list[str]
    rows: list[list[Any]]
    errors: list[Issue] = dataclasses.field(default_factory=list)
    warnings: list[Issue] = dataclasses.field(default_factory=list)
    created: list[int] = dataclasses.field(default_factory=list)
    updated: list[int] = dataclasses.field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(filename: str, data: bytes) -> tuple[list[str], list[list[Any]]]:
    """The header and the non-empty rows of a ``.csv`` (UTF-8, optional BOM) or ``.xlsx`` file."""
    name = (filename or "").lower()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The CSV file must be encoded in UTF-8.")) from exc
        table = list(csv.reader(io.StringIO(text)))
    elif name.endswith(".xlsx"):
        table = _xlsx(data)
    else:
        raise ValidationError(_("Import a .csv or .xlsx file (got %(name)s).", name=filename))
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [str(h or "").strip() for h in table[0]]
    rows = [row for row in table[1:] if any(str(c or "").strip() for c in row)]
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("A file may hold at most %(max)s rows.", max=MAX_ROWS))
    return header, rows


def _xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0]
        return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _source_text(label: Any) -> str:
    """The English source of a lazy label (whatever the user's language), else its text."""
    args = getattr(label, "_args", None)
    return str(args[0]) if args else str(label or "")


def importable_fields(service: Any) -> dict[str, Any]:
    """``{name: FieldInfo}`` of the fields a file may set (what the user may see and write)."""
    visible = service.fields_get()
    return {name: service.fields[name] for name in visible
            if name not in _SYSTEM and not service.fields[name].readonly
            and service.fields[name].type not in ("one2many", "binary")}


def _header_map(service: Any, header: list[str]) -> tuple[list[str], list[Issue]]:
    """Field name per column (``""`` for none), and errors for the columns naming no field."""
    known: dict[str, str] = {}
    for name, info in importable_fields(service).items():
        for key in (name, str(info.label), _source_text(info.string)):
            known.setdefault(key.strip().lower(), name)
    fields, errors = [], []
    for title in header:
        name = known.get(title.lower(), "")
        if not name:
            errors.append(Issue(1, title, _("The column %(column)s matches no field.",
                                            column=title)))
        elif name in fields:
            errors.append(Issue(1, title, _("Two columns set %(column)s.", column=title)))
        fields.append(name)
    return fields, errors


class _Converter:
    """Cell → service value by field type; names of related records looked up once each."""

    def __init__(self, env: Any, service: Any) -> None:
        self.env = env
        self.service = service
        self.cache: dict[tuple[str, str], int] = {}

    def lookup(self, comodel: str, name: str) -> int:
        key = (comodel, name)
        if key not in self.cache:
            target = self.env[comodel]
            found = [i for i, _n in target.name_search(name, operator="=", limit=2)]
            if not found and target.cls._rec_name != "name" and "name" in target.fields:
                found = target.search([("name", "=", name)], limit=2)
            if len(found) != 1:
                raise ValidationError(
                    _("No %(model)s is named %(name)s.", model=comodel, name=name) if not found
                    else _("Several %(model)s are named %(name)s.", model=comodel, name=name))
            self.cache[key] = found[0]
        return self.cache[key]

    def convert(self, name: str, cell: Any) -> Any:
        info = self.service.fields[name]
        if isinstance(cell, dt.datetime) and info.type == "date":
            return cell.date().isoformat()
        if isinstance(cell, (dt.date, dt.datetime)):
            return cell.isoformat()
        text = "" if cell is None else str(cell).strip()
        if info.type == "boolean":
            if text.lower() not in _TRUE | _FALSE:
                raise ValidationError(_("%(value)r is not yes or no.", value=text))
            return text.lower() in _TRUE
        if info.type == "many2one":
            return self.lookup(info.comodel or "", text)
        if info.type == "many2many":
            names = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
            return [(6, 0, [self.lookup(info.comodel or "", n) for n in names])]
        if info.type == "selection":
            for key, label in info.selection or ():
                if text == key or text.lower() in (str(label).lower(),
                                                   _source_text(label).lower()):
                    return key
            raise ValidationError(_("%(value)r is not one of the choices of %(field)s.",
                                    value=text, field=info.label))
        if info.type == "integer" and isinstance(cell, float) and cell.is_integer():
            return int(cell)
        return text


def _existing(env: Any, model: str, field: str | None, vals: dict[str, Any]) -> int | None:
    """The record a row updates: the one whose ``field`` equals the row's value, if any."""
    if not field or vals.get(field) in (None, ""):
        return None
    found = env.with_context(active_test=False)[model].search([(field, "=", vals[field])],
                                                              limit=2)
    if len(found) > 1:
        raise ValidationError(_("Several records have %(value)s; the row cannot tell which to "
                                "update.", value=vals[field]), field=field)
    return found[0] if found else None


def _missing(service: Any, vals: dict[str, Any], line: int,
             titles: dict[str, str]) -> list[Issue]:
    """A new record's required fields left empty (and without a default), one issue each."""
    return [Issue(line, titles.get(name) or str(info.label),
                  _("%(field)s is required.", field=info.label))
            for name, info in service.fields.items()
            if info.required and info.stored and vals.get(name) in (None, "")
            and info.default is None and name not in _SYSTEM]


def import_records(env: Any, model: str, filename: str, data: bytes, dry_run: bool = True,
                   header_only: bool = False,
                   report: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import the rows of a file into ``model``; nothing is kept if any row fails or on a dry run.

    :param header_only: only read the file and check its columns (a large file, checked before
        it is imported in the background)
    :param report: ``report(done, total)`` now and then (a background import's progress)
    :return: the rows read, with errors and warnings by line and column, and the ids created
        and updated (those of the preview were rolled back)
    """
    service = env[model]
    env.access.check(model, "create")
    header, rows = read_table(filename, data)
    fields, errors = _header_map(service, header)
    result = ImportResult(header, fields, rows, errors=errors, dry_run=dry_run)
    if errors or header_only:
        return result
    step = max(len(rows) // 50, 1)
    titles = dict(zip(fields, header, strict=True))
    convert = _Converter(env, service)
    match = getattr(service.cls, "_import_match", None)
    check = getattr(service.cls, "_import_warnings", None)
    savepoint = env.session.begin_nested()
    try:
        for line, row in enumerate(rows, start=2):
            result.errors += _import_row(env, service, convert, match, check, result, line,
                                         dict(zip(fields, row, strict=False)), titles)
            if report is not None and (line - 1) % step == 0:
                report(line - 1, len(rows))
    finally:
        if dry_run or result.errors:
            savepoint.rollback()
            if result.errors:
                result.created, result.updated = [], []
        else:
            savepoint.commit()
    return result


def _import_row(env: Any, service: Any, convert: _Converter, match: str | None, check: Any,
                result: ImportResult, line: int, cells: dict[str, Any],
                titles: dict[str, str]) -> list[Issue]:
    """Convert, check and save one row in a savepoint of its own; its errors by column."""
    vals: dict[str, Any] = {}
    errors = []
    for name, cell in cells.items():
        if cell is None or str(cell).strip() == "":
            continue  # empty: the field keeps its default (or its value, on an update)
        try:
            vals[name] = convert.convert(name, cell)
        except KangyiError as exc:
            errors.append(Issue(line, titles[name], exc.message))
    if errors:
        return errors
    try:
        with env.session.begin_nested():
            record_id = _existing(env, service._name, match, vals)
            if record_id is None:
                errors = _missing(service, vals, line, titles)
                if errors:
                    return errors
            if check is not None:
                result.warnings += [Issue(line, "", w) for w in check(env, vals)]
            if record_id is None:
                result.created.append(service.create(vals))
            else:
                service.write([record_id], vals)
                result.updated.append(record_id)
    except KangyiError as exc:
        field = str(exc.details.get("field") or "")
        info = service.fields.get(field)
        column = titles.get(field) or (str(info.label) if info is not None else "")
        return [Issue(line, column, exc.message)]
    return []
