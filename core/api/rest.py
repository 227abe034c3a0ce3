"""The REST API under ``/api/v1``: JSON over the model service, authenticated by API keys.

``Authorization: Bearer <key>`` (or ``X-API-Key: <key>``) on every request; each one runs as the
key's user, with their access rights, record rules and field groups. Errors are
``{"error": {"code": <HTTP status>, "message": ..., "details": {...}}}`` with 400, 401, 403, 404,
409, 412 or 422; a 500 only for a bug, which is logged. Reading one record sends an ``ETag`` (its
``write_date``); ``PATCH``/``PUT`` with ``If-Match`` save only over that version, else 412.
The document at ``/api/v1/openapi.json``
(:mod:`core.api.openapi`) describes every route for the installed models.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_babel import refresh
from werkzeug.exceptions import HTTPException

from ..env import Environment
from ..errors import AccessError, ConcurrencyError, MissingError, ValidationError
from ..i18n import _
from ..service import ModelService
from .apikeys import key_owner
from .callkw import MODEL_METHODS, RECORD_METHODS, call_public, model_service, odoo_value
from .errors import (
    AccessDenied,
    BadRequest,
    MethodNotFound,
    PreconditionFailed,
    as_kangyi_error,
    rest_status,
)
from .openapi import SEARCH_BODY, action_body, build_document, values_schema
from .schema_check import first_problem

__all__ = ["blueprint", "MAX_LIMIT"]

blueprint = Blueprint("api_rest", __name__, url_prefix="/api/v1")

#: the largest page a list request may ask for
MAX_LIMIT = 1000


@blueprint.errorhandler(Exception)
def _error(exc: Exception) -> Any:
    g.db.rollback()
    if isinstance(exc, HTTPException):  # raised by werkzeug itself (a body too large…)
        status = exc.code or 400
        body = {"error": {"code": status, "message": exc.description or exc.name,
                          "details": {"name": type(exc).__name__}}}
        return jsonify(body), status
    error = as_kangyi_error(exc)
    status = rest_status(error)
    details = {"name": error.odoo_name.rsplit(".", 1)[-1],
               **{k: odoo_value(v, None) for k, v in error.details.items()}}
    body = {"error": {"code": status, "message": error.message, "details": details}}
    return jsonify(body), status


def _env() -> Environment:
    """The environment of the API key's user."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    key = token.strip() if scheme.lower() == "bearer" else request.headers.get("X-API-Key", "")
    if not key:
        raise AccessDenied(_("Authenticate with an API key: send the header "
                             "'Authorization: Bearer <key>'."))
    base = g.env
    uid = key_owner(base, key.strip())
    if uid is None:
        raise AccessDenied(_("This API key is not valid (revoked, or its user is archived)."))
    user = base.session.get(base.registry["res.users"], uid)
    lang = getattr(user, "lang", None) or "en"
    g.api_lang = lang  # messages in the key's user's language, as in the web UI and RPC
    refresh()
    return Environment(base.registry, base.session, uid=uid, context={"lang": lang}, su=False)


def _service(env: Environment, model: str, record_id: int | None = None) -> ModelService:
    """The model service of ``model`` (after authentication); ``record_id`` must be a valid id."""
    service = model_service(env, model)
    if not isinstance(service, ModelService):
        raise MethodNotFound(_("%(model)s is not served by the REST API.", model=model))
    if record_id is not None and not 0 < record_id < 2**31:
        raise MissingError(_("Record does not exist or has been deleted: %(model)s %(ids)s",
                             model=model, ids=[record_id]))
    return service


# -- request parsing ---------------------------------------------------------------------------


def _body(schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    """The JSON object sent, checked against ``schema`` (the one the document publishes)."""
    if not request.data:
        if required:
            raise BadRequest(_("This request needs a JSON object as its body."))
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest(_("The request body must be a JSON object."))
    problem = first_problem(schema, body)
    if problem:
        raise BadRequest(_("%(where)s %(problem)s.", where=problem[0] or _("The body"),
                           problem=problem[1]), field=problem[0])
    return body


def _values(service: ModelService, creating: bool) -> dict[str, Any]:
    """Field values to create or update a record; type errors are 422 like other bad values."""
    try:
        return _body(values_schema(service.cls, creating), required=True)
    except BadRequest as exc:
        if "field" not in exc.details or not request.get_json(silent=True):
            raise
        raise ValidationError(exc.message, field=exc.details["field"]) from None


def _json_arg(name: str, default: Any) -> Any:
    text = request.args.get(name)
    if text is None or text == "":
        return default
    try:
        return json.loads(text)
    except ValueError:
        raise BadRequest(_("The parameter %(name)s is not valid JSON.", name=name)) from None


def _int_arg(value: Any, name: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high or (
            isinstance(value, float) and not value.is_integer()):
        raise BadRequest(_("The parameter %(name)s must be a whole number from %(low)s to "
                           "%(high)s.", name=name, low=low, high=high))
    return number


def _names(value: Any, name: str) -> list[str] | None:
    """``a,b`` or ``["a", "b"]`` → a list of names; None when absent."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise BadRequest(_("The parameter %(name)s must be a list of field names.", name=name))


def _domain(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRequest(_("The domain must be a JSON list."))
    return value


def _order(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRequest(_("The order must be a string such as 'name asc, id desc'."))
    return value


# -- values ------------------------------------------------------------------------------------


def _record(service: ModelService, row: dict[str, Any]) -> dict[str, Any]:
    """A read row for JSON: many2one as ``{"id", "display_name"}``, empty values as null."""
    result = {}
    for name, value in row.items():
        info = service.fields.get(name)
        if info is not None and info.type == "many2one" and value:
            value = {"id": value[0], "display_name": value[1]}
        result[name] = odoo_value(value, None)
    return result


def _read_one(service: ModelService, record_id: int, fields: list[str] | None) -> dict[str, Any]:
    return _record(service, service.read([record_id], fields)[0])


def _with_etag(response: Any, service: ModelService, record_id: int) -> Any:
    """Set the record's version (its ``write_date``, microseconds included) as ``ETag``."""
    written = service.read([record_id], ["write_date"])[0]["write_date"]
    if written:
        response.set_etag(written.isoformat())
    return response


def _if_match() -> dict[str, Any]:
    """The optimistic-locking value of ``If-Match`` (nothing for ``*`` or no header)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return {}
    tags = [t.strip().removeprefix("W/").strip('"') for t in header.split(",") if t.strip()]
    if len(tags) != 1:
        raise BadRequest(_("If-Match must carry the one ETag of the record you read."))
    return {"__last_update": tags[0]}


# -- routes ------------------------------------------------------------------------------------


@blueprint.route("/openapi.json", methods=["GET"])
def openapi() -> Any:
    return jsonify(build_document(g.env.registry, request.host_url.rstrip("/")))


def _list(model: str, params: dict[str, Any]) -> Any:
    env = _env()
    service = _service(env, model)
    domain = _domain(params.get("domain"))
    offset = _int_arg(params.get("offset"), "offset", 0, 0, 2**31 - 1)
    limit = _int_arg(params.get("limit"), "limit", int(current_app.config["LIST_PAGE_SIZE"]),
                     1, MAX_LIMIT)
    fields = _names(params.get("fields"), "fields")
    order = _order(params.get("order"))
    total = service.search_count(domain)
    rows = service.search_read(domain, fields, offset=offset, limit=limit, order=order)
    return jsonify({"data": [_record(service, row) for row in rows],
                    "meta": {"total": total, "offset": offset, "limit": limit,
                             "count": len(rows)}})


@blueprint.route("/<model>", methods=["GET"])
def list_records(model: str) -> Any:
    return _list(model, {"domain": _json_arg("domain", None), "offset": request.args.get("offset"),
                         "limit": request.args.get("limit"), "fields": request.args.get("fields"),
                         "order": request.args.get("order")})


@blueprint.route("/<model>/search", methods=["POST"])
def search_records(model: str) -> Any:
    return _list(model, _body(SEARCH_BODY))


@blueprint.route("/<model>", methods=["POST"])
def create_record(model: str) -> Any:
    env = _env()
    service = _service(env, model)
    new_id = service.create(_values(service, creating=True))
    assert isinstance(new_id, int)
    try:
        data = _read_one(service, new_id, None)
    except AccessError:
        data = {"id": new_id}  # may create but not read back (record rules)
    response = jsonify({"data": data})
    response.status_code = 201
    response.headers["Location"] = f"{request.base_url}/{new_id}"
    return response


@blueprint.route("/<model>/<int:record_id>", methods=["GET"])
def read_record(model: str, record_id: int) -> Any:
    service = _service(_env(), model, record_id)
    data = _read_one(service, record_id, _names(request.args.get("fields"), "fields"))
    return _with_etag(jsonify({"data": data}), service, record_id)


@blueprint.route("/<model>/<int:record_id>", methods=["PATCH", "PUT"])
def update_record(model: str, record_id: int) -> Any:
    """Set the fields sent (PUT is the same: fields left out keep their values)."""
    service = _service(_env(), model, record_id)
    vals = {**_values(service, creating=False), **_if_match()}
    try:
        service.write([record_id], vals)
    except ConcurrencyError as exc:
        if "__last_update" not in vals:
            raise
        raise PreconditionFailed(exc.message, **exc.details) from exc
    data = _read_one(service, record_id, None)
    return _with_etag(jsonify({"data": data}), service, record_id)


@blueprint.route("/<model>/<int:record_id>", methods=["DELETE"])
def delete_record(model: str, record_id: int) -> Any:
    service = _service(_env(), model, record_id)
    service.unlink([record_id])
    return Response(status=204)


@blueprint.route("/<model>/<int:record_id>/<action>", methods=["POST"])
def call_action(model: str, record_id: int, action: str) -> Any:
    service = _service(_env(), model, record_id)
    if action in MODEL_METHODS or action in RECORD_METHODS:
        raise MethodNotFound(_("%(method)s is not an action; use the other routes.",
                               method=action))
    func = getattr(service.cls, action, None)
    body = _body(action_body(func)) if getattr(func, "__kangyi_public__", False) else {}
    args, kwargs = body.get("args", []), body.get("kwargs", {})
    result = call_public(service, action, [[record_id], *args], kwargs)
    return jsonify({"result": odoo_value(result, None)})


@blueprint.route("/<model>/read_group", methods=["GET"])
def read_group(model: str) -> Any:
    service = _service(_env(), model)
    groupby = _names(request.args.get("groupby"), "groupby")
    if not groupby:
        raise BadRequest(_("The parameter groupby is required."))
    fields = _names(request.args.get("fields"), "fields") or []
    lazy = request.args.get("lazy", "true").lower() not in ("0", "false", "no")
    groups = service.read_group(
        _domain(_json_arg("domain", None)), fields, groupby,
        offset=_int_arg(request.args.get("offset"), "offset", 0, 0, 2**31 - 1),
        limit=_int_arg(request.args.get("limit"), "limit", MAX_LIMIT, 1, MAX_LIMIT),
        orderby=_order(request.args.get("orderby")), lazy=lazy)
    return jsonify({"data": odoo_value(groups, None)})
