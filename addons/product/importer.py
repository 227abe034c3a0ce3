"""Importing products from a CSV or XLSX file, through the model service.

The first row names the columns, by field name (``default_code``) or English label
(``Internal reference``). ``categ_id`` holds a category's full name (``All / 医疗器械``) or name;
``uom_id`` a unit's name. A row whose internal reference already exists updates that product;
otherwise it creates one. The import is all or nothing: any bad row aborts it with an error
naming the line, and nothing is saved.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from core.errors import KangyiError, ValidationError
from core.i18n import _

__all__ = ["import_products", "read_rows"]

COLUMNS = ("default_code", "name", "barcode", "categ_id", "type", "uom_id", "list_price",
           "standard_price", "vat_rate", "sale_ok", "purchase_ok", "active", "description_sale")
MAX_ROWS = 20_000


def read_rows(filename: str, data: bytes) -> list[dict[str, Any]]:
    """The rows of a ``.csv`` (UTF-8, with or without BOM) or ``.xlsx`` file, as dicts."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The CSV file must be encoded in UTF-8.")) from exc
        return list(csv.DictReader(io.StringIO(text)))
    if name.endswith(".xlsx"):
        return _xlsx_rows(data)
    raise ValidationError(_("Import a .csv or .xlsx file (got %(name)s).", name=filename))


def _xlsx_rows(data: bytes) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ValidationError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        rows = book.active.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            return []
        keys = [str(h).strip() if h is not None else "" for h in header]
        return [dict(zip(keys, ("" if v is None else v for v in row), strict=False))
                for row in rows if any(v not in (None, "") for v in row)]
    finally:
        book.close()


def _header_map(service: Any, headers: list[str]) -> dict[str, str]:
    by_label = {str(service.fields[c].label).lower(): c for c in COLUMNS}
    mapping = {}
    for header in headers:
        key = header.strip()
        column = key if key in COLUMNS else by_label.get(key.lower())
        if column is None:
            raise ValidationError(_("Unknown column %(column)s; use %(columns)s.",
                                    column=header, columns=", ".join(COLUMNS)))
        mapping[header] = column
    if "name" not in mapping.values():
        raise ValidationError(_("The file needs a name column."))
    return mapping


class _Resolver:
    """Finds categories and units by name, each name once."""

    def __init__(self, env: Any) -> None:
        self.env = env
        self.cache: dict[tuple[str, str], int] = {}

    def __call__(self, model: str, field: str, value: Any) -> int:
        text = str(value).strip()
        key = (model, text)
        if key not in self.cache:
            ids = self.env[model].search([(field, "=", text)], limit=2)
            if not ids and model == "product.category":
                ids = self.env[model].search([("name", "=", text)], limit=2)
            if len(ids) != 1:
                raise ValidationError(
                    _("No single %(model)s is named %(name)s.", model=model, name=text)
                    if not ids else _("Several %(model)s are named %(name)s.", model=model,
                                      name=text))
            self.cache[key] = ids[0]
        return self.cache[key]


def import_products(env: Any, filename: str, data: bytes) -> dict[str, int]:
    """Create or update products from the file; returns ``{"created": n, "updated": m}``."""
    rows = read_rows(filename, data)
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Import at most %(max)s rows at a time.", max=MAX_ROWS))
    service = env["product.product"]
    if not rows:
        return {"created": 0, "updated": 0}
    mapping = _header_map(service, [h for h in rows[0] if h is not None])
    resolve = _Resolver(env)
    counts = {"created": 0, "updated": 0}
    with env.session.begin_nested():
        for line, row in enumerate(rows, start=2):
            try:
                _import_row(service, resolve, mapping, row, counts)
            except KangyiError as exc:
                raise ValidationError(_("Line %(line)s: %(error)s", line=line,
                                        error=exc.message)) from exc
    return counts


def _import_row(service: Any, resolve: _Resolver, mapping: dict[str, str],
                row: dict[str, Any], counts: dict[str, int]) -> None:
    vals: dict[str, Any] = {}
    for header, column in mapping.items():
        value = row.get(header)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if column == "categ_id":
            value = resolve("product.category", "complete_name", value)
        elif column == "uom_id":
            value = resolve("uom.uom", "name", value)
        elif isinstance(value, str):
            value = value.strip()
        vals[column] = value
    code = vals.get("default_code")
    everything = service.env.with_context(active_test=False)["product.product"]
    existing = everything.search([("default_code", "=", str(code))], limit=1) if code else []
    if existing:
        service.write(existing, vals)
        counts["updated"] += 1
    else:
        service.create(vals)
        counts["created"] += 1
