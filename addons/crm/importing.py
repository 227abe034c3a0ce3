"""Importing records from CSV or XLSX, all or nothing, with a preview and a row-by-row report.

Core-agnostic: nothing here is specific to the CRM, so it can move into the core as it is. The
first row names the columns, by field name (``phone``), by label in English (``Phone``) or in the
user's language (``电话``). Values are converted through the model service like any input:
many2one columns hold the target's name, many2many columns comma-separated names, selections a
key or a label, booleans 1/0, yes/no, 是/否. Every row is created through ``env[model]``, so access
rights, record rules and constraints apply; any error in any row rolls the whole import back.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from core.errors import KangyiError, ValidationError
from core.i18n import _

__all__ = ["ImportResult", "read_table", "import_records", "MAX_ROWS"]

MAX_ROWS = 10_000
_TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}
_FALSE = {"0", "false", "no", "n", "否", ""}


@dataclasses.dataclass
class ImportResult:
    """What an import did or would do: the rows read, errors and warnings by line number."""

    columns: list[str]
    fields: list[str]
    rows: list[list[Any]]
    errors: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    warnings: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    created: list[int] = dataclasses.field(default_factory=list)
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
        table = [row for row in csv.reader(io.StringIO(text))]
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


def _header_map(service: Any, header: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """Field name per column, and errors for the columns that name no field."""
    known: dict[str, str] = {}
    for name, info in service.fields_get().items():
        field = service.fields[name]
        if field.readonly or name in ("id", "create_date", "write_date", "create_uid",
                                      "write_uid") or field.type in ("one2many", "binary"):
            continue
        known[name.lower()] = name
        known[str(info.get("string", "")).strip().lower()] = name
        known[_source_text(field.string).strip().lower()] = name
    fields, errors = [], []
    for title in header:
        name = known.get(title.lower())
        if name is None:
            errors.append((1, _("The column %(column)s matches no field.", column=title)))
        elif name in fields:
            errors.append((1, _("Two columns set %(column)s.", column=title)))
        fields.append(name or "")
    return fields, errors


def _source_text(label: Any) -> str:
    """The English source of a lazy label (whatever the user's language), else its text."""
    args = getattr(label, "_args", None)
    return str(args[0]) if args else str(label or "")


class _Converter:
    """Cell → service value by field type; names of related records looked up once each."""

    def __init__(self, env: Any, service: Any) -> None:
        self.env = env
        self.service = service
        self.cache: dict[tuple[str, str], int] = {}

    def lookup(self, comodel: str, name: str) -> int:
        key = (comodel, name)
        if key not in self.cache:
            found = self.env[comodel].name_search(name, operator="=", limit=2)
            if len(found) != 1:
                raise ValidationError(
                    _("No %(model)s is named %(name)s.", model=comodel, name=name) if not found
                    else _("Several %(model)s are named %(name)s.", model=comodel, name=name))
            self.cache[key] = found[0][0]
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
        if text == "":
            return False
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


def import_records(env: Any, model: str, filename: str, data: bytes, dry_run: bool = True,
                   check_row: Callable[[dict[str, Any], int], list[str]] | None = None,
                   ) -> ImportResult:
    """Import the rows of a file into ``model``; nothing is kept if any row fails or on a dry run.

    :param check_row: optional ``(vals, line) -> warnings`` run before each row is created
    :return: the rows read, with errors and warnings by line (the header is line 1)
    """
    service = env[model]
    env.access.check(model, "create")
    header, rows = read_table(filename, data)
    fields, errors = _header_map(service, header)
    result = ImportResult(header, fields, rows, errors=errors, dry_run=dry_run)
    if errors:
        return result
    convert = _Converter(env, service)
    savepoint = env.session.begin_nested()
    try:
        for line, row in enumerate(rows, start=2):
            try:
                vals = {name: convert.convert(name, cell)
                        for name, cell in zip(fields, row, strict=False) if name}
                if check_row is not None:
                    result.warnings += [(line, w) for w in check_row(vals, line)]
                created = service.create(vals)
                result.created.append(created)
            except KangyiError as exc:
                result.errors.append((line, exc.message))
    finally:
        if dry_run or result.errors:
            savepoint.rollback()
            result.created = [] if result.errors else result.created
        else:
            savepoint.commit()
    return result
