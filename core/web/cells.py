"""Field values as the user reads them, formatted for the current locale.

:func:`formatter` makes one function per field and request (labels of selections and booleans
translated once, number symbols looked up once), so a list of 80 rows × 10 columns formats its
cells without re-reading the locale, the catalog or the field for each cell; numbers are written
by Python's ``format`` with the locale's symbols (as Babel would, many times faster).
:func:`format_value` is the same formatting for one value (the ``fmt`` template filter).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from typing import Any

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol
from flask import g
from flask_babel import format_date, format_time, get_locale
from markupsafe import Markup

from ..i18n import _
from ..values import shown_scale
from .references import reference_cell

__all__ = ["formatter", "format_value", "format_moment"]

Formatter = Callable[[Any], Any]


def _symbols(locale: Any) -> dict[int, str] | None:
    """What Python's ``format(value, ",.2f")`` writes, mapped to ``locale``'s symbols (None
    when they are the same). Babel formats exactly that way for the grouped patterns used here
    (groups of three, round half even, latin digits), at a fraction of the cost per value."""
    mapping = {",": get_group_symbol(locale), ".": get_decimal_symbol(locale),
               "-": get_minus_sign_symbol(locale)}
    return None if all(k == v for k, v in mapping.items()) else str.maketrans(mapping)


def _number(locale: Any, scale: int | None) -> Callable[[Any], str]:
    """``value`` with groups of three and ``scale`` decimals (None: an integer)."""
    spec = "," if scale is None else f",.{scale}f"
    table = _symbols(locale)
    if table is None:
        return lambda value: format(value, spec)
    return lambda value: format(value, spec).translate(table)


def _boolean() -> Formatter:
    yes = Markup('<span class="bool" aria-label="{}">{}</span>').format(_("Yes"), "✔")
    no = Markup('<span class="bool" aria-label="{}">{}</span>').format(_("No"), "✘")
    return lambda value: "" if value is None else (yes if value else no)


def _decimal(info: Any, monetary: bool) -> Formatter:
    locale = get_locale()
    numbers: dict[int, Callable[[Any], str]] = {}

    def fmt(value: Any) -> Any:
        if not isinstance(value, decimal.Decimal):
            return _generic(value, info)
        if not value.is_finite():
            return str(value)
        scale = shown_scale(info, value)
        number = numbers.get(scale)
        if number is None:
            number = numbers[scale] = _number(locale, scale)
        return number(value)
    return fmt


def _integer(info: Any) -> Formatter:
    number = _number(get_locale(), None)

    def fmt(value: Any) -> Any:
        return number(value) if isinstance(value, int) else _generic(value, info)
    return fmt


def _selection(info: Any) -> Formatter:
    labels = {key: str(label) for key, label in info.selection or ()}
    return lambda value: labels.get(value) or str(value)


def _many2one(value: Any) -> Any:
    return value[1] if isinstance(value, (list, tuple)) else value


def _text(translate: bool) -> Formatter:
    if not translate:
        return lambda value: value
    return lambda value: _(value) if isinstance(value, str) else value


def _generic(value: Any, info: Any, translate: bool = False) -> Any:
    """Formatting decided by the value itself (no field, or a value of another shape)."""
    if isinstance(value, bool):
        return _boolean()(value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], int) \
            and info is None:
        return value[1]
    if isinstance(value, decimal.Decimal):
        return _decimal(info, False)(value)
    if isinstance(value, dt.datetime):
        return format_moment(value)
    if isinstance(value, dt.date):
        return format_date(value, "medium")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _(value) if translate and isinstance(value, str) else value


def format_moment(value: dt.datetime) -> str:
    """A date and time as every page writes it: the date as dates are written, then the hours
    and minutes (one format per locale: 2026年12月7日 05:17, Dec 7, 2026 5:17 AM)."""
    return f"{format_date(value, 'medium')} {format_time(value, 'short')}"


def _make(info: Any, translate: bool) -> Formatter:
    kind = getattr(info, "type", None)
    if kind == "boolean":
        return _boolean()
    if kind == "many2one":
        return _many2one
    if kind == "reference":
        return reference_cell
    if kind == "selection":
        return _selection(info)
    if kind in ("decimal", "monetary"):
        return _decimal(info, kind == "monetary")
    if kind == "integer":
        return _integer(info)
    if kind in ("char", "text"):
        plain = _text(translate)
        return lambda value: plain(value) if isinstance(value, str) else _generic(value, info)
    return lambda value: _generic(value, info, translate)


def formatter(info: Any = None, translate: bool = False) -> Formatter:
    """The function formatting values of the field ``info`` for the current request's locale.

    Empty values (None, and False for anything but a boolean) become ``""``. Made once per
    field, locale and request (kept in ``g``).
    """
    cache: dict[tuple[Any, ...], tuple[Any, Formatter]] = g.setdefault("kangyi_formatters", {})
    key = (id(info), translate, get_locale())
    entry = cache.get(key)
    if entry is not None and entry[0] is info:
        return entry[1]
    made = _make(info, translate)
    is_boolean = getattr(info, "type", None) == "boolean"

    def fmt(value: Any) -> Any:
        if value is None or (value is False and not is_boolean):
            return ""
        if value is True and not is_boolean:
            return _generic(value, info)
        return made(value)
    cache[key] = (info, fmt)
    return fmt


def format_value(value: Any, info: Any = None, translate: bool = False) -> Any:
    """A field value as the user should read it, formatted for the current locale."""
    return formatter(info, translate)(value)
