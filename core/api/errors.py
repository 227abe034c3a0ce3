"""Errors of the APIs and their shapes on each wire.

Every failure of an API call ends as one of the core's :class:`~core.errors.KangyiError` classes
(or one of the two below); this module says how each looks as an XML-RPC fault (Odoo's integer
codes on ``/xmlrpc/2``, its string codes on the legacy ``/xmlrpc``), as a JSON-RPC error object and
as a REST status. Anything else is a bug: it is logged with its traceback and answered with a
generic message, never the traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..errors import (
    AccessError,
    ConcurrencyError,
    DomainError,
    KangyiError,
    UserError,
    database_error,
)
from ..i18n import _
from ..throttle import TooManyAttempts

__all__ = ["AccessDenied", "MethodNotFound", "UnknownModel", "BadRequest", "PreconditionFailed",
           "as_kangyi_error",
           "fault_of", "jsonrpc_error", "rest_status", "UNEXPECTED_NAME"]

log = logging.getLogger("kangyi.api")

UNEXPECTED_NAME = "builtins.Exception"


class AccessDenied(KangyiError):
    """Wrong credentials (login, password, API key, uid), or a database not served here."""

    odoo_name = "odoo.exceptions.AccessDenied"
    http_status = 401


class MethodNotFound(KangyiError):
    """The model has no method of that name callable from outside."""

    odoo_name = "builtins.AttributeError"
    http_status = 404


class UnknownModel(UserError):
    """No installed addon creates the model (Odoo reports it as a UserError)."""

    http_status = 404


class BadRequest(KangyiError):
    """The request itself is malformed (not JSON, wrong argument types…)."""

    odoo_name = "builtins.TypeError"
    http_status = 400


class PreconditionFailed(ConcurrencyError):
    """REST: the record changed since the version its ``If-Match`` header names."""

    http_status = 412


def as_kangyi_error(exc: BaseException, log_unexpected: bool = True) -> KangyiError:
    """``exc`` as a user-facing error; unexpected exceptions are logged and hidden. Input too
    deeply nested for the parser (RecursionError) and values a column cannot hold (a
    database's DataError) are the caller's errors (4xx), not the server's."""
    if isinstance(exc, KangyiError):
        return exc
    if isinstance(exc, RecursionError):
        return BadRequest(_("The request is nested too deeply."))
    mapped = database_error(exc)  # a value a column cannot hold, a deadlock… (409, try again)
    if mapped is not None:
        mapped.__cause__ = exc
        return mapped
    if log_unexpected:
        log.error("Unexpected error in an API call", exc_info=exc)
    error = KangyiError(_("An unexpected error occurred; it has been logged."))
    error.odoo_name = UNEXPECTED_NAME
    error.http_status = 500
    return error


#: ``/xmlrpc/2`` fault codes, as Odoo defines them (the clients know these numbers)
_FAULT_CODES: list[tuple[type[KangyiError], int]] = [
    (AccessDenied, 3),
    (TooManyAttempts, 3),
    (AccessError, 4),
    (MethodNotFound, 1),
    (BadRequest, 1),
]


def fault_of(error: KangyiError, legacy: bool) -> tuple[int | str, str]:
    """``(faultCode, faultString)`` of ``error`` for ``/xmlrpc/2`` or the legacy ``/xmlrpc``."""
    code = next((c for cls, c in _FAULT_CODES if isinstance(error, cls)), None)
    if code is None:
        code = 2 if error.odoo_name != UNEXPECTED_NAME else 1
    if not legacy:
        return code, error.message
    if code == 3:
        return "AccessDenied", error.message
    if code == 1:
        return error.message, error.message
    kind = error.odoo_name.rsplit(".", 1)[-1]
    return f"warning -- {kind}\n\n{error.message}", error.message


def jsonrpc_error(error: KangyiError, code: int = 200) -> dict[str, Any]:
    """The ``error`` member of a JSON-RPC reply in Odoo's shape (``data.name`` tells the kind)."""
    return {
        "code": code,
        "message": "Odoo Server Error" if code == 200 else error.message,
        "data": {
            "name": error.odoo_name,
            "message": error.message,
            "arguments": [error.message],
            "context": {},
            "debug": "",
        },
    }


def rest_status(error: KangyiError) -> int:
    """The HTTP status of ``error`` on the REST API (400/401/403/404/409/412/422, 500 for
    bugs)."""
    if isinstance(error, DomainError):
        return 400
    if isinstance(error, PreconditionFailed):
        return 412
    if isinstance(error, ConcurrencyError) or isinstance(error.__cause__, IntegrityError):
        return 409
    if isinstance(error, UserError) and error.http_status == 400:
        return 409  # the operation does not fit the record's current state
    return error.http_status
