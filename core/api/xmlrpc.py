"""XML-RPC transport: ``/xmlrpc/2/<service>`` (integer fault codes) and ``/xmlrpc/<service>``
(Odoo's legacy string fault codes, used by odoo-client-lib).

Always HTTP 200: ``xmlrpc.client`` turns any other status into a ``ProtocolError``. Answers never
contain ``<nil/>`` (empty values are ``False``), and control characters, which XML cannot carry,
are removed from strings.
"""

from __future__ import annotations

import re
import xmlrpc.client
from typing import Any

from flask import Blueprint, Response, g, request

from ..i18n import _
from .errors import BadRequest, as_kangyi_error, fault_of
from .rpc import dispatch

__all__ = ["blueprint"]

blueprint = Blueprint("api_xmlrpc", __name__)

#: largest request body accepted (bytes)
MAX_BODY = 16 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INT_RANGE = (-(2**31), 2**31 - 1)


@blueprint.route("/xmlrpc/2/<service>", methods=["POST"])
def xmlrpc_2(service: str) -> Response:
    return _handle(service, legacy=False)


@blueprint.route("/xmlrpc/<service>", methods=["POST"])
def xmlrpc_legacy(service: str) -> Response:
    return _handle(service, legacy=True)


def _handle(service: str, legacy: bool) -> Response:
    try:
        data = _body()
        try:
            params, method = xmlrpc.client.loads(data, use_datetime=True)
        except Exception as exc:  # expat and xmlrpc raise many types for bad XML
            raise BadRequest(_("The request is not a valid XML-RPC call.")) from exc
        result = dispatch(service, method, list(params))
        body = xmlrpc.client.dumps((_sanitize(result),), methodresponse=True, allow_none=False)
    except Exception as exc:  # every failure becomes a fault, never an HTML page
        g.db.rollback()
        code, text = fault_of(as_kangyi_error(exc), legacy)
        body = xmlrpc.client.dumps(
            xmlrpc.client.Fault(_sanitize(code), _sanitize(text)), allow_none=False)
    return Response(body, status=200, mimetype="text/xml")


def _body() -> bytes:
    """The request body, refused past :data:`MAX_BODY` however it is sent (a chunked body has
    no Content-Length: it is read up to one byte past the limit, never further)."""
    if (request.content_length or 0) > MAX_BODY:
        raise BadRequest(_("The request is too large."))
    parts, size = [], 0
    while size <= MAX_BODY:
        chunk = request.stream.read(min(65536, MAX_BODY + 1 - size))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
    raise BadRequest(_("The request is too large."))


def _sanitize(value: Any) -> Any:
    """Strings without control characters; integers XML-RPC cannot carry as strings."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, int) and not isinstance(value, bool) and not (
            _INT_RANGE[0] <= value <= _INT_RANGE[1]):
        return str(value)
    if isinstance(value, list):
        return [_sanitize(v) for v in value]
    if isinstance(value, dict):
        return {_sanitize(k): _sanitize(v) for k, v in value.items()}
    return value
