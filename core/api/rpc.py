"""The services behind Odoo's external API: ``common``, ``object`` and ``db``.

One dispatcher for every transport (XML-RPC at ``/xmlrpc/2/<service>`` and ``/xmlrpc/<service>``,
JSON-RPC at ``/jsonrpc``); the transports only frame requests, results and errors. The API is
stateless like Odoo's: every ``object`` call carries the database name, the uid and the password
(or an API key), checked each time, and runs as that user through the model service.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from flask import current_app, g

from .. import __version__
from ..env import Environment
from ..i18n import _
from .apikeys import authenticate, check_uid
from .callkw import call_kw, odoo_value
from .errors import AccessDenied, BadRequest

__all__ = ["dispatch", "version_info", "database_name", "check_database", "ODOO_SERIE"]

#: the Odoo release whose external API Kangyi follows (clients branch on it)
ODOO_SERIE = "17.0"


def version_info() -> dict[str, Any]:
    """``common.version()``: Odoo's format, with Kangyi's own version beside it."""
    return {
        "server_version": ODOO_SERIE,
        "server_version_info": [17, 0, 0, "final", 0, ""],
        "server_serie": ODOO_SERIE,
        "protocol_version": 1,
        "kangyi_version": __version__,
    }


def database_name() -> str:
    """The name of the one database this deployment serves (``db.list`` returns it).

    ``DATABASE_NAME`` / ``KANGYI_DATABASE_NAME`` if set, else the PostgreSQL database name or the
    SQLite file's stem.
    """
    configured = current_app.config.get("DATABASE_NAME") or os.environ.get("KANGYI_DATABASE_NAME")
    if configured:
        return str(configured)
    url = current_app.extensions["kangyi"].engine.url
    name = url.database or ""
    if url.get_backend_name() == "sqlite":
        name = PurePath(name).stem if name and name != ":memory:" else ""
    return name or "kangyi"


def check_database(db: object) -> None:
    """Refuse a database name other than this deployment's."""
    if db != database_name():
        raise AccessDenied(_("Unknown database %(db)r: this server serves %(name)r.",
                             db=db, name=database_name()))


def _base_env(uid: int | None, context: dict[str, Any] | None = None) -> Environment:
    env = g.env
    return Environment(env.registry, env.session, uid=uid, context=context, su=False)


# -- common ------------------------------------------------------------------------------------


def _common_login(db: Any, login: Any, password: Any) -> int | bool:
    return _common_authenticate(db, login, password, {})


def _common_authenticate(db: Any, login: Any, password: Any, user_agent_env: Any) -> int | bool:
    check_database(db)
    del user_agent_env  # accepted for compatibility; nothing in it is needed
    uid = authenticate(_base_env(None), login, password)  # throttled (core.throttle)
    return False if uid is None else uid


def _common_about(extended: bool = False) -> Any:
    text = "Kangyi ERP, an Odoo-compatible ERP framework"
    return [text, __version__] if extended else text


_COMMON: dict[str, Callable[..., Any]] = {
    "version": version_info,
    "login": _common_login,
    "authenticate": _common_authenticate,
    "about": _common_about,
}

# -- object ------------------------------------------------------------------------------------


def user_env(db: Any, uid: Any, password: Any) -> Environment:
    """The environment of ``uid`` after checking the database and the password (or key)."""
    check_database(db)
    env = _base_env(None)
    if not check_uid(env, uid, password):  # throttled per login (core.throttle)
        raise AccessDenied(_("Access denied: wrong user id, password or API key."))
    user = env.session.get(env.registry["res.users"], uid)
    lang = getattr(user, "lang", None) or "en"
    return _base_env(uid, {"lang": lang, "uid": uid})


def _object_execute_kw(db: Any, uid: Any, password: Any, model: Any, method: Any,
                       args: Any = None, kwargs: Any = None) -> Any:
    env = user_env(db, uid, password)
    return call_kw(env, model, method, [] if args is None else args, kwargs)


def _object_execute(db: Any, uid: Any, password: Any, model: Any, method: Any,
                    *args: Any) -> Any:
    env = user_env(db, uid, password)
    return call_kw(env, model, method, list(args), {})


_OBJECT: dict[str, Callable[..., Any]] = {
    "execute_kw": _object_execute_kw,
    "execute": _object_execute,
}

# -- db ----------------------------------------------------------------------------------------


def _db_list(document: bool = False) -> list[str]:
    del document
    return [database_name()]


_DB: dict[str, Callable[..., Any]] = {
    "list": _db_list,
    "server_version": lambda: ODOO_SERIE,
}

_SERVICES = {"common": _COMMON, "object": _OBJECT, "db": _DB}


def dispatch(service: Any, method: Any, params: Any) -> Any:
    """Run ``service.method(*params)`` and return its result in wire form (never None)."""
    functions = _SERVICES.get(service) if isinstance(service, str) else None
    if functions is None:
        raise BadRequest(_("Unknown service %(service)r (common, object or db).",
                           service=service))
    function = functions.get(method) if isinstance(method, str) else None
    if function is None:
        if service == "db":
            raise AccessDenied(_("Managing databases through the API is not supported: "
                                 "Kangyi serves one database per deployment."))
        raise BadRequest(_("The %(service)s service has no method %(method)r.",
                           service=service, method=method))
    if not isinstance(params, (list, tuple)):
        raise BadRequest(_("The parameters must be a list."))
    try:
        inspect.signature(function).bind(*params)
    except TypeError as exc:
        raise BadRequest(_("Wrong arguments for %(service)s.%(method)s: %(error)s",
                           service=service, method=method, error=str(exc))) from None
    return odoo_value(function(*params))
