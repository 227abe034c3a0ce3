"""Odoo's web-session routes: ``/web/session/*`` and ``/web/dataset/call_kw``.

These use the signed session cookie of the web UI, not credentials in every call. Like Odoo's JSON
routes they take no CSRF token; instead they accept only ``application/json`` bodies (a page on
another site cannot send those without a CORS preflight, which Kangyi never grants), refuse
requests whose ``Origin`` is another site, and the cookie is ``SameSite=Lax``. API keys are not
accepted here: they are for scripts, and a web session needs the password.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, g, request
from flask_login import current_user, logout_user

from ..env import Environment
from ..i18n import _
from ..users import check_credentials
from .callkw import call_kw, odoo_value
from .errors import AccessDenied, BadRequest
from .jsonrpc import SessionExpired, json_route
from .rpc import ODOO_SERIE, check_database, database_name, version_info

__all__ = ["blueprint"]

blueprint = Blueprint("api_web_session", __name__)


@blueprint.before_request
def _same_origin_only() -> None:
    """Refuse cross-site calls of cookie-authenticated routes (CSRF defence)."""
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        raise BadRequest(_("Cross-site requests are not allowed."))


def _session_info() -> dict[str, Any]:
    env = g.env
    user = env.user
    access = env.access
    lang = user.lang or "en"
    return odoo_value({
        "uid": user.id, "name": user.name, "username": user.login, "db": database_name(),
        "is_admin": access.is_admin, "is_system": access.is_admin,
        "user_context": {"lang": lang, "tz": False, "uid": user.id},
        "company_id": user.company_id, "partner_id": False,
        "server_version": ODOO_SERIE,
        "server_version_info": version_info()["server_version_info"],
    })


def _require_session() -> None:
    if not current_user.is_authenticated or g.env.uid is None:
        raise SessionExpired(_("Your session has expired; log in again."))


@blueprint.route("/web/session/authenticate", methods=["POST"])
@json_route
def session_authenticate(params: dict[str, Any]) -> Any:
    check_database(params.get("db"))
    login, password = params.get("login"), params.get("password")
    if not isinstance(login, str) or not isinstance(password, str):
        raise AccessDenied(_("Wrong login or password."))
    uid = check_credentials(g.env, login, password)
    if uid is None:
        raise AccessDenied(_("Wrong login or password."))
    from ..app import sign_in

    user = sign_in(uid)
    if user is None:
        raise AccessDenied(_("Wrong login or password."))
    g.env = Environment(g.env.registry, g.env.session, uid=uid,
                        context={"lang": user.lang or "en"}, su=False)
    return _session_info()


@blueprint.route("/web/session/get_session_info", methods=["POST"])
@json_route
def session_get_info(params: dict[str, Any]) -> Any:
    _require_session()
    return _session_info()


@blueprint.route("/web/session/destroy", methods=["POST"])
@json_route
def session_destroy(params: dict[str, Any]) -> Any:
    from ..app import end_sessions

    if current_user.is_authenticated:
        end_sessions(g.env, current_user.id)
    logout_user()
    return None


@blueprint.route("/web/dataset/call_kw", methods=["POST"])
@blueprint.route("/web/dataset/call_kw/<path:path>", methods=["POST"])
@json_route
def dataset_call_kw(params: dict[str, Any], path: str | None = None) -> Any:
    _require_session()
    del path  # informative only, as in Odoo: model and method come from the params
    result = call_kw(g.env, params.get("model"), params.get("method"), params.get("args", []),
                     params.get("kwargs"))
    return odoo_value(result)

