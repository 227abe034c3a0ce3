"""The external APIs: REST with OpenAPI (``/api/v1``), and Odoo's XML-RPC and JSON-RPC.

Every call goes through the model service (``env[model]``) with an environment for the
authenticated user, so access rights, record rules and field groups apply exactly as in the UI.

- :mod:`.rest`, :mod:`.openapi`: the REST API and its generated document (API keys);
- :mod:`.rpc`: the ``common``/``object``/``db`` services, shared by :mod:`.xmlrpc` and
  :mod:`.jsonrpc`; :mod:`.callkw` maps ``execute_kw`` arguments onto model methods;
- :mod:`.web_session`: ``/web/session/*`` and ``/web/dataset/call_kw`` (cookie session);
- :mod:`.apikeys`: keys and credential checks (:mod:`.keys_ui`: the user's page for them);
  :mod:`.irmodel`: ``ir.model(.fields)``; :mod:`.schema_check`: bodies against the document;
- :mod:`.errors`: each error's shape on each wire.
"""

from __future__ import annotations

from flask import Flask

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    """Register the API blueprints; exempt the credential-authenticated ones from CSRF.

    REST, XML-RPC and ``/jsonrpc`` never use the session cookie (each call carries a key or a
    password), so a forged cross-site request carries nothing to abuse. The cookie-based
    ``/web/session`` and ``/web/dataset`` routes protect themselves (JSON only, same origin).
    """
    from . import jsonrpc, keys_ui, rest, web_session, xmlrpc

    csrf = app.extensions.get("csrf")
    for module in (rest, xmlrpc, jsonrpc, web_session):
        app.register_blueprint(module.blueprint)
        if csrf is not None:
            csrf.exempt(module.blueprint)
    app.register_blueprint(keys_ui.blueprint)  # an ordinary page: CSRF applies
