"""The period picker: named periods (this month, quarter, year, last year, custom) as half-open
date ranges, and the comparison period (the previous one, or the same one last year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.errors import ValidationError
from core.i18n import _, _l

__all__ = ["PERIODS", "COMPARISONS", "period_range", "compared_range", "range_domain",
           "add_months"]

PERIODS = {"this_month": _l("This month"), "this_quarter": _l("This quarter"),
           "this_year": _l("This year"), "last_month": _l("Last month"),
           "last_quarter": _l("Last quarter"), "last_year": _l("Last year"),
           "custom": _l("Custom")}
COMPARISONS = {"previous": _l("Previous period"), "last_year": _l("Same period last year")}


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_range(period: str, today: dt.date, date_from: str = "", date_to: str = ""
                 ) -> tuple[dt.date, dt.date]:
    """The ``[start, end)`` range of ``period`` around ``today`` (custom: the given days,
    both included)."""
    month = today.replace(day=1)
    quarter = add_months(month, -((today.month - 1) % 3))
    year = dt.date(today.year, 1, 1)
    ranges = {"this_month": (month, add_months(month, 1)),
              "last_month": (add_months(month, -1), month),
              "this_quarter": (quarter, add_months(quarter, 3)),
              "last_quarter": (add_months(quarter, -3), quarter),
              "this_year": (year, add_months(year, 12)),
              "last_year": (add_months(year, -12), year)}
    if period in ranges:
        return ranges[period]
    if period != "custom":
        raise ValidationError(_("Unknown period %(period)s.", period=period))
    try:
        start = dt.date.fromisoformat(date_from)
        end = dt.date.fromisoformat(date_to) + dt.timedelta(days=1)
    except ValueError as exc:
        raise ValidationError(_("Enter the first and last day of the period.")) from exc
    if end <= start:
        raise ValidationError(_("The period ends before it starts."))
    return start, end


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def compared_range(start: dt.date, end: dt.date, compare: str) -> tuple[dt.date, dt.date]:
    """The range ``compare`` sets beside ``[start, end)``: the previous period of the same
    length (whole months stay whole months), or the same days a year earlier."""
    if compare == "last_year":
        return _year_before(start), _year_before(end)
    if compare != "previous":
        raise ValidationError(_("Unknown comparison %(compare)s.", compare=compare))
    if start.day == 1 and end.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month
        return add_months(start, -months), start
    return start - (end - start), start


def range_domain(field: str, start: dt.date, end: dt.date) -> list[Any]:
    return [(field, ">=", start.isoformat()), (field, "<", end.isoformat())]
