"""Export the visible columns of a list to CSV or XLSX, through the model service.

Rows are read with ``search_read`` as the acting user, so record rules limit the rows and field
groups remove columns the user may not see. Decimals are written as exact decimal text (CSV) or
numbers built from their decimal text (XLSX), never through float arithmetic.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .i18n import _
from .references import resolve

if TYPE_CHECKING:
    from .service import ModelService

__all__ = ["export_table", "to_csv", "to_xlsx", "EXPORT_LIMIT"]

#: the most rows one export returns
EXPORT_LIMIT = 50_000
#: rows read at a time by a background export
CHUNK = 1000


def _cell(info: Any, value: Any) -> Any:
    if value is None or (value is False and info.type != "boolean"):
        return ""
    if info.type == "boolean":
        return _("Yes") if value else _("No")
    if info.type == "many2one":
        return value[1] if isinstance(value, (list, tuple)) else value
    if info.type == "selection":
        return str(dict(info.selection or ()).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def export_table(service: ModelService, columns: Sequence[str], domain: Sequence[Any] | None = None,
                 ids: Sequence[int] | None = None, order: str | None = None,
                 report: Callable[[int, int], None] | None = None,
                 ) -> tuple[list[str], list[list[Any]]]:
    """Header labels and cell values of ``columns`` for the matching records.

    :param ids: export these records only (still checked against the rules), else ``domain``
    :param report: ``report(done, total)``: the rows are read :data:`CHUNK` at a time and
        each chunk reported (a background export's progress)
    """
    allowed = service.fields_get(list(columns))
    names = [c for c in columns if c in allowed]
    if report is not None:
        ids = list(ids) if ids is not None else service.search(
            domain or [], limit=EXPORT_LIMIT, order=order)
        rows = []
        for start in range(0, len(ids), CHUNK):
            rows += service.read(ids[start:start + CHUNK], names)
            report(len(rows), len(ids))
    elif ids is not None:
        rows = service.read(list(ids), names)
    else:
        rows = service.search_read(domain or [], names, limit=EXPORT_LIMIT, order=order)
    infos = [service.fields[n] for n in names]
    header = [info.label for info in infos]
    references = [info.name for info in infos if info.type == "reference"]
    if references:  # the records' names, not "model,id" (two queries per target model)
        targets = resolve(service.env, {row.get(name) for row in rows for name in references})
        for row in rows:
            for name in references:
                target = targets.get(row.get(name) or "")
                if target is not None:
                    row[name] = target.name
    body = [[_cell(info, row.get(info.name)) for info in infos] for row in rows]
    return header, body


def _text(value: Any) -> str:
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


#: what makes a spreadsheet program read a text cell as a formula (OWASP's list)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    """Text a spreadsheet shows as text: a leading quote before a formula's first sign."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: list[str], body: list[list[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read Chinese correctly; text
    that would start a formula is quoted (numbers stay as they are)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_inert(str(h)) for h in header])
    for row in body:
        writer.writerow([_text(v) if isinstance(v, (int, decimal.Decimal, dt.date))
                         else _inert(_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], body: list[list[Any]], title: str) -> bytes:
    """An XLSX workbook with one sheet; numbers stay numbers, dates stay dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Export")

    def text(value: Any) -> Any:  # a string cell, never a formula, whatever it starts with
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.data_type = "s"
        return cell

    sheet.append([text(h) for h in header])
    for row in body:
        sheet.append([v if isinstance(v, (int, decimal.Decimal, dt.date)) else text(v)
                      for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
