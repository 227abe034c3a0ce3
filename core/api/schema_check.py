"""Checking a JSON value against the (small) subset of JSON Schema that the OpenAPI document uses.

The REST API validates request bodies against the very schemas it publishes, so the document and
the behaviour cannot drift apart: what the document says is invalid is refused with a clear error
before the model service sees it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from ..i18n import _

__all__ = ["first_problem"]

_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _any(value: str) -> bool:
    return True


def _date(value: str) -> bool:
    try:
        return len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def _datetime(value: str) -> bool:
    try:
        return len(value) >= 16 and bool(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return False


def _base64(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        return False
    return True


_FORMATS = {"date": _date, "date-time": _datetime, "byte": _base64}


def first_problem(schema: dict[str, Any], value: Any, path: str = "") -> tuple[str, str] | None:
    """``(path, what is wrong)`` for the first part of ``value`` that ``schema`` refuses."""
    if value is None:
        if schema.get("nullable") or not schema.get("type"):
            return None
        return path, _("must not be empty")
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if first_problem(s, value, path) is None]
        return None if len(matching) == 1 else (path, _("does not match any allowed form"))
    kind = schema.get("type")
    if kind and not _TYPES[kind](value):
        return path, _("must be of type %(type)s", type=kind)
    if "enum" in schema and value not in schema["enum"]:
        return path, _("is not one of the allowed values")
    if isinstance(value, str):
        if not _FORMATS.get(schema.get("format", ""), _any)(value):
            return path, _("is not a valid %(format)s", format=schema["format"])
        if len(value) < schema.get("minLength", 0):
            return path, _("is too short")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            return path, _("is too long")
    if kind in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            return path, _("is too small")
        if "maximum" in schema and value > schema["maximum"]:
            return path, _("is too large")
    if isinstance(value, list):
        return _array_problem(schema, value, path)
    if isinstance(value, dict):
        return _object_problem(schema, value, path)
    return None


def _array_problem(schema: dict[str, Any], value: list[Any], path: str) -> tuple[str, str] | None:
    if len(value) < schema.get("minItems", 0):
        return path, _("has too few items")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        return path, _("has too many items")
    items = schema.get("items")
    if items:
        for index, item in enumerate(value):
            problem = first_problem(items, item, f"{path}[{index}]")
            if problem:
                return problem
    return None


def _object_problem(schema: dict[str, Any], value: dict[str, Any],
                    path: str) -> tuple[str, str] | None:
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            return f"{path}.{name}".lstrip("."), _("is required")
    for name, item in value.items():
        where = f"{path}.{name}".lstrip(".")
        if name in properties:
            problem = first_problem(properties[name], item, where)
            if problem:
                return problem
        elif schema.get("additionalProperties") is False:
            return where, _("is not an accepted field")
    return None
