"""JSON-RPC 2.0 transport in Odoo's flavour: ``/jsonrpc`` and the small ``/web/*`` routes that
Odoo's client libraries call (``/web/webclient/version_info``, ``/web/database/list``).

Requests are ``{"jsonrpc": "2.0", "method": "call", "params": {...}, "id": n}``; replies carry
``result`` or ``error``, always with HTTP 200, the error in Odoo's shape with ``data.name`` telling
access errors, validation errors and missing records apart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, g, jsonify, request

from ..errors import KangyiError
from ..i18n import _
from .errors import BadRequest, as_kangyi_error, jsonrpc_error
from .rpc import database_name, dispatch, version_info

__all__ = ["blueprint", "json_route", "SessionExpired"]

blueprint = Blueprint("api_jsonrpc", __name__)


class SessionExpired(KangyiError):
    """A ``/web/*`` route that needs the web session was called without one."""

    odoo_name = "odoo.http.SessionExpiredException"
    http_status = 401


def _params() -> dict[str, Any]:
    if not request.is_json:
        raise BadRequest(_("JSON-RPC requests must be sent as application/json."))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest(_("The request is not a JSON-RPC object."))
    params = body.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise BadRequest(_("JSON-RPC params must be an object."))
    return params


def json_route(func: Callable[[dict[str, Any]], Any]) -> Callable[[], Any]:
    """Wrap ``func(params)`` as a JSON-RPC endpoint: framing, errors, rollback on failure."""

    @functools.wraps(func)
    def endpoint(**route_args: Any) -> Any:
        body = request.get_json(silent=True) if request.is_json else None
        request_id = body.get("id") if isinstance(body, dict) else None
        try:
            result = func(_params(), **route_args)
        except Exception as exc:  # every failure is an error object, never an HTML page
            g.db.rollback()
            error = as_kangyi_error(exc)
            code = 100 if isinstance(error, SessionExpired) else 200
            return jsonify({"jsonrpc": "2.0", "id": request_id,
                            "error": jsonrpc_error(error, code)})
        return jsonify({"jsonrpc": "2.0", "id": request_id, "result": result})

    return endpoint


@blueprint.route("/jsonrpc", methods=["POST"])
@json_route
def jsonrpc(params: dict[str, Any]) -> Any:
    args = params.get("args", [])
    return dispatch(params.get("service"), params.get("method"), [] if args is None else args)


@blueprint.route("/web/webclient/version_info", methods=["POST"])
@json_route
def webclient_version_info(params: dict[str, Any]) -> Any:
    return version_info()


@blueprint.route("/web/database/list", methods=["POST"])
@json_route
def database_list(params: dict[str, Any]) -> Any:
    return [database_name()]
