"""Converting values between the wire (JSON, XML-RPC, forms) and columns, by field type."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from .errors import ValidationError
from .fields import FieldInfo
from .i18n import _

__all__ = ["to_column", "describe", "x2many_commands", "to_wire", "shown_scale"]


def shown_scale(info: FieldInfo | None, value: decimal.Decimal) -> int:
    """How many decimals a number is shown with, in lists and inputs alike: money with its
    field's scale, other numbers with their significant decimals up to it (5 and 2.5 units,
    never 5.000 beside 5.0000)."""
    most = (info.digits or (16, 2))[1] if info is not None else 2
    if info is not None and info.type == "monetary":
        return most
    return min(max(-value.normalize().as_tuple().exponent, 0), most)  # type: ignore[operator]


def _invalid(info: FieldInfo, value: Any) -> ValidationError:
    return ValidationError(_("%(value)r is not a valid value for the field %(field)s.",
                             value=value, field=info.label), field=info.name)


def to_column(info: FieldInfo, value: Any) -> Any:
    """``value`` as stored in the column of ``info``; Odoo's ``False`` means empty."""
    if value is False and info.type != "boolean":
        return None
    if value is None or (value == "" and info.type not in ("char", "text")):
        return None
    try:
        return _CONVERTERS.get(info.type, _identity)(info, value)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise _invalid(info, value) from exc


def _identity(info: FieldInfo, value: Any) -> Any:
    return value


def _text(info: FieldInfo, value: Any) -> str:
    text = str(value)
    if "\x00" in text:  # PostgreSQL cannot store NUL characters
        raise ValueError(value)
    text.encode("utf-8")  # a lone surrogate is not text: UnicodeEncodeError, a ValueError
    return text


def _char(info: FieldInfo, value: Any) -> str:
    text = _text(info, value)
    if info.size and len(text) > info.size:
        raise ValidationError(_("%(field)s is longer than %(size)s characters.",
                                field=info.label, size=info.size), field=info.name)
    return text


def _integer(info: FieldInfo, value: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(value)
    number = int(value)
    if not -(2**31) <= number < 2**31:  # INTEGER columns (and ids) are 32-bit
        raise ValueError(value)
    return number


def _decimal(info: FieldInfo, value: Any) -> decimal.Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        value = repr(value)  # the shortest decimal that round-trips: 0.1 -> "0.1"
    number = decimal.Decimal(str(value).strip().replace(",", ""))
    if not number.is_finite():
        raise ValueError(value)
    precision, scale = info.digits or (16, 2)
    number = number.quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP)
    if abs(number) >= decimal.Decimal(10) ** (precision - scale):  # would overflow NUMERIC(p, s)
        raise ValueError(value)
    return number


def _boolean(info: FieldInfo, value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y")
    return bool(value)


def _date(info: FieldInfo, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _datetime(info: FieldInfo, value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(
            dt.UTC).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return _datetime(info, dt.datetime.fromisoformat(str(value).replace("T", " ").strip()))


def _selection(info: FieldInfo, value: Any) -> str:
    keys = [key for key, _label in info.selection or ()]
    if value not in keys:
        raise ValidationError(_("%(value)r is not an allowed value for %(field)s (allowed: "
                                "%(keys)s).", value=value, field=info.label,
                                keys=", ".join(keys)), field=info.name)
    return str(value)


def _many2one(info: FieldInfo, value: Any) -> int:
    if isinstance(value, (list, tuple)) and value:
        value = value[0]
    return _integer(info, value)


def _reference(info: FieldInfo, value: Any) -> str:
    """``"model,id"`` from that text or a ``(model, id)`` pair; the model one of the field's
    (the service checks that the record exists and may be read, :mod:`core.references`)."""
    from .references import format_reference, parse

    parsed = parse(value)
    if parsed is None:
        raise ValueError(value)
    models = [key for key, _label in info.selection or ()]
    if models and parsed[0] not in models:
        raise ValidationError(_("%(value)r is not an allowed value for %(field)s (allowed: "
                                "%(keys)s).", value=value, field=info.label,
                                keys=", ".join(models)), field=info.name)
    return _char(info, format_reference(*parsed))


def _binary(info: FieldInfo, value: Any) -> bytes:
    if isinstance(value, str):
        import base64

        return base64.b64decode(value)
    return bytes(value)


def _password(info: FieldInfo, value: Any) -> str:
    from werkzeug.security import generate_password_hash

    text = str(value)
    if len(text) < 8:
        raise ValidationError(_("A password needs at least 8 characters."), field=info.name)
    return generate_password_hash(text)


_CONVERTERS = {
    "password": _password,
    "char": _char, "text": _text, "integer": _integer, "decimal": _decimal,
    "monetary": _decimal, "boolean": _boolean, "date": _date, "datetime": _datetime,
    "selection": _selection, "many2one": _many2one, "binary": _binary,
    "reference": _reference,
}


def x2many_commands(info: FieldInfo, value: Any) -> list[tuple[Any, ...]]:
    """Odoo's x2many commands from ``value`` (commands, or a plain list of ids = replace)."""
    if value in (False, None):
        return [(5,)]
    if not isinstance(value, (list, tuple)):
        raise _invalid(info, value)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return [(6, 0, list(value))]
    commands = []
    for command in value:
        if not isinstance(command, (list, tuple)) or not command or command[0] not in range(7):
            raise _invalid(info, command)
        code = command[0]
        if code in (0, 1) and (len(command) < 3 or not isinstance(command[2], dict)):
            raise _invalid(info, command)
        if code in (1, 2, 3, 4) and (len(command) < 2 or not isinstance(command[1], int)):
            raise _invalid(info, command)
        if code == 6 and (len(command) < 3 or not isinstance(command[2], (list, tuple))):
            raise _invalid(info, command)
        commands.append(tuple(command))
    return commands


def describe(info: FieldInfo) -> dict[str, Any]:
    """The ``fields_get`` description of a field (Odoo's keys), in the current language.

    Built once per field and language (its labels go through the catalog, which costs more than
    the rest of a list page's reads); each caller gets its own copy.
    """
    cache = info.__dict__.setdefault("_descriptions", {})
    language = _language()
    desc = cache.get(language)
    if desc is None:
        desc = cache[language] = _describe(info)
    copy = dict(desc)
    if "selection" in copy:
        copy["selection"] = [list(pair) for pair in copy["selection"]]
    return copy


def _language() -> str | None:
    """The language labels are translated into now: the request's locale, the app's default
    outside a request, None outside the app (untranslated)."""
    from flask import has_app_context, has_request_context

    if not has_request_context():
        return "default" if has_app_context() else None
    from flask_babel import get_locale

    return str(get_locale())


def _describe(info: FieldInfo) -> dict[str, Any]:
    desc: dict[str, Any] = {
        "type": _WIRE_TYPES.get(info.type, info.type),
        "string": info.label,
        "required": info.required,
        "readonly": info.readonly,
        "store": info.stored,
        "sortable": info.stored,
        "searchable": info.stored or (info.type in ("one2many", "many2many")
                                      and not info.computed),
        "help": str(info.help) if info.help else "",
        "name": info.name,
    }
    if info.selection is not None:
        desc["selection"] = [[k, str(v)] for k, v in info.selection]
    if info.comodel:
        desc["relation"] = info.comodel
    if info.inverse_name:
        desc["relation_field"] = info.inverse_name
    if info.size and info.type in ("char", "reference"):
        desc["size"] = info.size
    if info.digits and info.type in ("decimal", "monetary"):
        desc["digits"] = list(info.digits)
    if info.computed:
        desc["depends"] = list(info.all_depends)
    if info.related:
        desc["related"] = info.related
    if info.inverse:
        desc["inverse"] = True
    return desc


_WIRE_TYPES = {"decimal": "float", "password": "char"}


def to_wire(value: Any) -> Any:
    """A JSON/XML-RPC friendly copy of ``value``: Decimal → float-free string-safe number."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    return value
