"""The OpenAPI 3 document of the REST API, generated from a registry.

Every installed model gets its routes and three schemas: the record as read (``<model>``), the
values accepted on create (``<model>.create``: required fields listed) and on update
(``<model>.update``). Field types, sizes, selections, required flags and public actions come from
the registry, so the document changes as soon as an addon is installed or removed.
"""

from __future__ import annotations

import inspect
import types
import typing
from typing import Any

from .. import __version__
from ..fields import FieldInfo
from ..registry import Registry

__all__ = ["build_document", "public_methods", "values_schema", "action_body", "hint_schema",
           "type_hints", "SEARCH_BODY"]

_INT32 = {"minimum": -(2**31), "maximum": 2**31 - 1}
_ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
_ERROR_STATUSES = {
    "400": "Malformed request (bad JSON, parameter or domain)",
    "401": "Missing or invalid API key",
    "403": "Access rights or record rules forbid it",
    "404": "Unknown model, record or action",
    "409": "Conflicts with the data (duplicate, record in use, wrong state)",
    "422": "Values break a rule of the model",
}
_MAGIC = {"id", "create_date", "write_date", "create_uid", "write_uid"}


def public_methods(cls: type) -> list[str]:
    """Names of the ``@public`` record methods of a composed model class."""
    return sorted(name for name in dir(cls) if not name.startswith("_")
                  and getattr(getattr(cls, name, None), "__kangyi_public__", False))


def _number_limit(info: FieldInfo) -> dict[str, Any]:
    precision, scale = info.digits or (16, 2)
    bound = float(10 ** (precision - scale)) - 10.0 ** -scale
    return {"minimum": -bound, "maximum": bound}


def _read_schema(info: FieldInfo) -> dict[str, Any]:
    """The JSON schema of a field's value as the API returns it."""
    kind = info.type
    if kind in ("one2many", "many2many"):
        return {"type": "array", "items": _ID}
    if kind == "many2one":
        return {"type": "object", "nullable": True, "required": ["id", "display_name"],
                "properties": {"id": _ID, "display_name": {"type": "string"}}}
    schema = _scalar_schema(info)
    schema.pop("maxLength", None)
    schema.pop("minimum", None)
    schema.pop("maximum", None)
    schema.pop("format", None)
    if kind == "selection":
        schema.pop("enum", None)
    if kind != "boolean":
        schema["nullable"] = True
    return schema


def _scalar_schema(info: FieldInfo) -> dict[str, Any]:
    kind = info.type
    if kind in ("char", "password"):
        schema: dict[str, Any] = {"type": "string", "maxLength": info.size or 255}
        if kind == "password":
            schema.update(minLength=8, writeOnly=True)
        return schema
    if kind == "text":
        return {"type": "string"}
    if kind == "reference":
        return {"type": "string", "maxLength": info.size or 128, "pattern": r"^[\w.]+,\d+$",
                "description": "A record of any model: \"model,id\""}
    if kind == "integer":
        return {"type": "integer", **_INT32}
    if kind in ("decimal", "monetary"):
        return {"type": "number", **_number_limit(info)}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind == "datetime":
        return {"type": "string", "format": "date-time"}
    if kind == "selection":
        return {"type": "string", "enum": [key for key, _label in info.selection or ()]}
    if kind == "binary":
        return {"type": "string", "format": "byte"}
    if kind == "many2one":
        return dict(_ID)
    return {}


def _write_schema(info: FieldInfo) -> dict[str, Any]:
    """The JSON schema of a value the API accepts for a field."""
    if info.type in ("one2many", "many2many"):
        command = {"type": "array", "minItems": 1, "maxItems": 3,
                   "description": "An Odoo command: [0, 0, {values}], [1, id, {values}], "
                                  "[2, id], [3, id], [4, id], [5] or [6, 0, [ids]]"}
        return {"type": "array", "items": {"oneOf": [_ID, command]},
                "description": "Ids (replace the set) or Odoo x2many commands"}
    schema = _scalar_schema(info)
    if info.type != "boolean" and not info.required:
        schema["nullable"] = True
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]  # OpenAPI 3.0: null must be listed too
    if info.required and info.type in ("char", "text"):
        schema["minLength"] = 1
    if info.help:
        schema["description"] = str(info.help)
    return schema


def values_schema(cls: Any, creating: bool) -> dict[str, Any]:
    """The schema of the values accepted to create (``creating``) or update a record."""
    fields = cls.__fields__
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": {
        f: _write_schema(i) for f, i in fields.items() if f not in _MAGIC}}
    required = sorted(f for f, i in fields.items()
                      if f not in _MAGIC and i.required and i.default is None and i.stored)
    if creating and required:
        schema["required"] = required
    return schema


def _model_schemas(name: str, cls: Any) -> dict[str, Any]:
    fields = cls.__fields__
    readable = {f: _read_schema(i) for f, i in fields.items() if i.type != "password"}
    for info in fields.values():
        if info.string is not None and info.name in readable:
            readable[info.name]["title"] = info.label
        if info.computed and not info.inverse and info.name in readable:
            readable[info.name]["readOnly"] = True
    return {
        name: {"type": "object", "properties": readable, "required": ["id"],
               "description": str(cls._description or name)},
        f"{name}.create": values_schema(cls, True),
        f"{name}.update": values_schema(cls, False),
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _responses(ok: str, description: str, schema: dict[str, Any] | None) -> dict[str, Any]:
    responses: dict[str, Any] = {ok: {"description": description, **(_json(schema) if schema
                                                                        else {})}}
    for status, text in _ERROR_STATUSES.items():
        responses[status] = {"description": text, **_json(_ref("Error"))}
    return responses


_IF_MATCH = {"name": "If-Match", "in": "header", "required": False,
             "schema": {"type": "string"},
             "description": "The ETag of the version read: the save is refused (412) if the "
                            "record changed since"}


def _update(tag: list[str], name: str, one: dict[str, Any], operation: str) -> dict[str, Any]:
    """PATCH and PUT of one record (the same: fields left out keep their values)."""
    responses = _responses("200", "The updated record (its new version in ETag)", one)
    responses["412"] = {"description": "Changed since the version named by If-Match",
                        **_json(_ref("Error"))}
    return {"tags": tag, "summary": f"Update a {name} record", "operationId": f"{name}.{operation}",
            "parameters": [_IF_MATCH],
            "requestBody": {"required": True, **_json(_ref(f"{name}.update"))},
            "responses": responses}


def _query(name: str, schema: dict[str, Any], description: str,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


_LIST_PARAMS = [
    _query("domain", {"type": "string"}, "A JSON-encoded Odoo domain, e.g. "
           '[["name", "ilike", "acme"]]'),
    _query("fields", {"type": "string"}, "Comma-separated field names (default: all)"),
    _query("offset", {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
           "Records to skip"),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": 1000},
           "Page size (default 80)"),
    _query("order", {"type": "string"}, "e.g. 'name asc, id desc'"),
]
_ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": _ID}


SEARCH_BODY: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "properties": {
        "domain": {"type": "array", "description": "An Odoo domain"},
        "fields": {"type": "array", "items": {"type": "string"}},
        "offset": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
        "limit": {"type": "integer", "minimum": 1, "maximum": 1000},
        "order": {"type": "string"}}}


def hint_schema(hint: Any) -> dict[str, Any]:
    """The JSON schema of a simple type annotation (``str``, ``int | None``…), else ``{}``."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        members = [m for m in typing.get_args(hint) if m is not type(None)]
        schema = hint_schema(members[0]) if len(members) == 1 else {}
        return {**schema, "nullable": True} if schema else {}
    return dict(_HINT_TYPES.get(hint, {}))


_HINT_TYPES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"}, int: {"type": "integer", **_INT32}, bool: {"type": "boolean"},
    float: {"type": "number"}, list: {"type": "array"}, dict: {"type": "object"}}


def type_hints(func: Any) -> dict[str, Any]:
    """The evaluated annotations of ``func`` ({} when they cannot be resolved)."""
    try:
        return typing.get_type_hints(func)
    except Exception:  # annotations naming things not importable here: no checks from them
        return {}


def action_body(func: Any) -> dict[str, Any]:
    """The body of an action call, from the method's signature (after ``self``)."""
    params = list(inspect.signature(func).parameters.values())[1:]
    hints = type_hints(func)
    kinds = {p.kind for p in params}
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    args: dict[str, Any] = {"type": "array", "description": "Positional arguments"}
    if inspect.Parameter.VAR_POSITIONAL not in kinds:
        args["maxItems"] = len(positional)
    kwargs: dict[str, Any] = {
        "type": "object", "description": "Keyword arguments",
        "properties": {p.name: hint_schema(hints.get(p.name)) for p in params
                       if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)},
        "additionalProperties": inspect.Parameter.VAR_KEYWORD in kinds}
    return {"type": "object", "additionalProperties": False,
            "properties": {"args": args, "kwargs": kwargs}}


def _model_paths(name: str, cls: Any) -> dict[str, Any]:
    tag = [name]
    page = {"type": "object", "required": ["data", "meta"], "properties": {
        "data": {"type": "array", "items": _ref(name)}, "meta": _ref("PageMeta")}}
    one = {"type": "object", "required": ["data"], "properties": {"data": _ref(name)}}
    base = f"/api/v1/{name}"
    paths: dict[str, Any] = {
        base: {
            "get": {"tags": tag, "summary": f"List {name} records",
                    "operationId": f"{name}.list", "parameters": _LIST_PARAMS,
                    "responses": _responses("200", "A page of records and its metadata", page)},
            "post": {"tags": tag, "summary": f"Create a {name} record",
                     "operationId": f"{name}.create",
                     "requestBody": {"required": True, **_json(_ref(f"{name}.create"))},
                     "responses": _responses("201", "The new record", one)},
        },
        f"{base}/search": {"post": {
            "tags": tag, "summary": f"Search {name} records (domain in the body)",
            "operationId": f"{name}.search",
            "requestBody": {"required": False, **_json(SEARCH_BODY)},
            "responses": _responses("200", "A page of records and its metadata", page)}},
        f"{base}/read_group": {"get": {
            "tags": tag, "summary": f"Aggregate {name} records by groups (SQL GROUP BY)",
            "operationId": f"{name}.read_group",
            "parameters": [_query("groupby", {"type": "string", "minLength": 1},
                                  "Comma-separated fields to group by (date:month…)", True),
                           _LIST_PARAMS[0], _LIST_PARAMS[1], _LIST_PARAMS[2], _LIST_PARAMS[3],
                           _query("orderby", {"type": "string"}, "Order of the groups"),
                           _query("lazy", {"type": "boolean"}, "Group by the first field only")],
            "responses": _responses("200", "One row per group", {
                "type": "object", "required": ["data"], "properties": {
                    "data": {"type": "array", "items": {"type": "object"}}}})}},
        f"{base}/{{id}}": {
            "parameters": [_ID_PARAM],
            "get": {"tags": tag, "summary": f"Read a {name} record",
                    "operationId": f"{name}.read", "parameters": [_LIST_PARAMS[1]],
                    "responses": _responses("200", "The record", one)},
            "patch": _update(tag, name, one, "update"),
            "put": _update(tag, name, one, "put"),
            "delete": {"tags": tag, "summary": f"Delete a {name} record",
                       "operationId": f"{name}.delete",
                       "responses": _responses("204", "Deleted", None)},
        },
    }
    for action in public_methods(cls):
        paths[f"{base}/{{id}}/{action}"] = {"post": {
            "tags": tag, "summary": f"Run the action {action} on a {name} record",
            "operationId": f"{name}.{action}", "parameters": [_ID_PARAM],
            "requestBody": {"required": False, **_json(action_body(getattr(cls, action)))},
            "responses": _responses("200", "What the action returned", {
                "type": "object", "properties": {"result": {"nullable": True}}})}}
    return paths


def build_document(registry: Registry, server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document for the models of ``registry``."""
    schemas: dict[str, Any] = {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "integer"}, "message": {"type": "string"},
                "details": {"type": "object"}}}}},
        "PageMeta": {"type": "object", "required": ["total", "offset", "limit", "count"],
                     "properties": {k: {"type": "integer", "minimum": 0}
                                    for k in ("total", "offset", "limit", "count")}},
    }
    paths: dict[str, Any] = {}
    for name in sorted(registry):
        cls = registry[name]
        schemas.update(_model_schemas(name, cls))
        paths.update(_model_paths(name, cls))
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kangyi ERP REST API", "version": __version__,
                 "description": "JSON over the model service; authenticate with an API key "
                                "('Authorization: Bearer <key>'). Installed addons: "
                                + ", ".join(registry.order)},
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "An API key (kangyi apikey create LOGIN --name NAME)"}}},
    }
