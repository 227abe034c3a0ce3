"""A pivot as an XLSX sheet with the page's layout: merged column headers, indented row
headers, numbers as numbers (never formulas)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from core.i18n import _

from .pivot import Pivot, column_grid

__all__ = ["pivot_xlsx"]


def _number(value: Any) -> Any:
    if value is None:
        return None
    return value if isinstance(value, (int, Decimal)) else Decimal(str(value))


def pivot_xlsx(svc: Any, pivot: Pivot, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    compare = pivot.previous is not None
    per_column = len(pivot.measures) * (3 if compare else 1)
    book = Workbook()
    sheet = book.active
    sheet.title = (title or "Pivot")[:31]
    bold = Font(bold=True)
    grid = column_grid(pivot, per_column)
    top = 1
    taken: set[tuple[int, int]] = set()
    for level, cells in enumerate(grid):
        column = 2
        for label, colspan, rowspan, _header in cells:
            while (top + level, column) in taken:
                column += 1
            cell = sheet.cell(row=top + level, column=column, value=str(label))
            cell.data_type = "s"
            cell.font = bold
            cell.alignment = Alignment(horizontal="center")
            if colspan > 1 or rowspan > 1:
                sheet.merge_cells(start_row=top + level, start_column=column,
                                  end_row=top + level + rowspan - 1,
                                  end_column=column + colspan - 1)
            for r in range(rowspan):
                for c in range(colspan):
                    taken.add((top + level + r, column + c))
            column += colspan
    row = top + len(grid)
    columns = pivot.col_headers()
    labels = []
    for _col in columns:
        for measure in pivot.measures:
            labels.append(measure.label)
            if compare:
                labels += [f"{measure.label} ({_('previous')})", _("Variation")]
    for index, label in enumerate(labels):
        sheet.cell(row=row, column=2 + index, value=str(label)).font = bold
    for header in pivot.row_headers():
        row += 1
        cell = sheet.cell(row=row, column=1, value=str(header.label))
        cell.data_type = "s"
        cell.alignment = Alignment(indent=header.depth)
        if header.children or not header.depth:
            cell.font = bold
        column = 2
        for col in columns:
            values = pivot.value(header.key, col.key)
            before = pivot.value(header.key, col.key, previous=True) if compare else None
            for m in range(len(pivot.measures)):
                sheet.cell(row=row, column=column, value=_number(values[m]))
                column += 1
                if before is not None:
                    sheet.cell(row=row, column=column, value=_number(before[m]))
                    ratio = (Decimal(values[m] or 0) - Decimal(before[m])) / abs(
                        Decimal(before[m])) if before[m] else None
                    cell = sheet.cell(row=row, column=column + 1, value=ratio)
                    cell.number_format = "0.0%"
                    column += 2
    sheet.column_dimensions["A"].width = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
