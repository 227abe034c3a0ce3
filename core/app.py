"""The Flask application factory.

``create_app(config)`` builds one independent app: its engine, its :class:`core.runtime.Runtime`
(addons seen, registry kept in step with the database), login, CSRF, translations and the core
blueprints. Each request gets a session and an :class:`core.env.Environment` in ``g.env`` for the
logged-in user, committed after a successful request and rolled back otherwise.

Production: ``gunicorn "core.app:create_app()"``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any

from flask import Flask, g, render_template, request
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from . import config as settings
from . import db
from .env import Environment
from .errors import AccessError, KangyiError, MissingError
from .runtime import Runtime

__all__ = ["create_app", "LANGUAGES"]

LANGUAGES = ("en", "zh_CN")
log = logging.getLogger("kangyi")


class WebUser:
    """What Flask-Login keeps of a user for the length of a request."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, uid: int, login: str, name: str, lang: str | None,
                 generation: int = 0) -> None:
        self.id, self.login, self.name, self.lang = uid, login, name, lang
        self.generation = generation

    def get_id(self) -> str:
        return str(self.id)


#: the session cookie's copy of the user's ``session_generation`` when it was signed
SESSION_GENERATION = "_kangyi_gen"


def sign_in(uid: int) -> WebUser | None:
    """Log the active user ``uid`` in (Flask-Login), the cookie stamped with their session
    generation; None when there is no such user."""
    from flask import session
    from flask_login import login_user

    user = _load_user(str(uid), stamped=False)
    if user is not None:
        login_user(user)
        session[SESSION_GENERATION] = user.generation
    return user


def end_sessions(env: Environment, uid: int) -> None:
    """End every session of ``uid`` on every worker (logout, "log out everywhere")."""
    users = env.registry["res.users"]
    env.session.execute(users.__table__.update().where(users.id == uid).values(
        session_generation=func.coalesce(users.session_generation, 0) + 1))


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """A new Kangyi app; ``config`` overrides settings (``DATABASE_URL``, ``SECRET_KEY``…)."""
    config = dict(config or {})
    app = Flask(__name__, instance_path=str(settings.instance_path(config)))
    app.config.update(settings.defaults())
    app.config.update(
        SECRET_KEY=settings.secret_key(config),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="en",
    )
    app.config.update(config)
    app.permanent_session_lifetime = dt.timedelta(
        minutes=int(app.config["SESSION_LIFETIME_MINUTES"]))
    engine = db.create_engine(settings.database_url(config))
    runtime = Runtime(engine, config.get("ADDONS_PATH"),
                      float(app.config["REGISTRY_CHECK_SECONDS"]))
    app.extensions["kangyi"] = runtime

    CSRFProtect(app)
    _security_headers(app)
    from .translations import translation_directories

    own_catalogs = "BABEL_TRANSLATION_DIRECTORIES" not in app.config
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES",
                          translation_directories(app.instance_path, runtime.available))
    Babel(app, locale_selector=_select_locale)
    if own_catalogs:
        runtime.on_rediscover.append(lambda available: _follow_catalogs(app, available))
    _fast_template_gettext(app)
    login_manager = LoginManager(app)
    login_manager.login_view = "web.login"
    login_manager.user_loader(_load_user)

    app.before_request(_open_env)
    app.after_request(_commit)
    app.teardown_request(_close_env)
    _register_error_handlers(app)

    from .web import blueprint as web_blueprint

    app.register_blueprint(web_blueprint)
    from .api import init_app as init_api

    init_api(app)
    from .web.workflow import init_app as init_workflow  # approvals, chatter, attachments

    init_workflow(app)
    from .pages import init_app as init_pages  # addon pages (register_pages)

    init_pages(app)
    from .jobs import init_app as init_jobs  # the job queue (core/jobs)

    init_jobs(app)
    from .reports.web import init_app as init_reports  # PDF documents (core/reports)

    init_reports(app)
    from .mail.web import init_app as init_mail  # notifications, e-mail (core/mail)

    init_mail(app)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    return app


#: what pages may load: only this site's scripts (no inline ones), its styles (inline style
#: blocks too), images (data: for icons), and no framing by other sites
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _security_headers(app: Flask) -> None:
    """CSP, X-Frame-Options, X-Content-Type-Options, Referrer-Policy on every response
    (Flask-Talisman), and the session cookie ``Secure`` when ``SESSION_COOKIE_SECURE`` (or
    ``KANGYI_SECURE_COOKIES=1``) says the site is served over HTTPS; then HSTS too."""
    from flask_talisman import Talisman

    secure = app.config.get("SESSION_COOKIE_SECURE") or os.environ.get(
        "KANGYI_SECURE_COOKIES", "").lower() in ("1", "true", "yes")
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    Talisman(app, force_https=False, frame_options="DENY",
             content_security_policy=CONTENT_SECURITY_POLICY,
             referrer_policy="same-origin", session_cookie_secure=bool(secure),
             strict_transport_security=bool(secure))


def _fast_template_gettext(app: Flask) -> None:
    """Templates' ``_()`` through :func:`core.i18n.ugettext` (the request's catalog looked up
    once), the plural and context forms as Flask-Babel installed them."""
    from flask_babel import get_translations

    from .i18n import ugettext

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=ugettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
        newstyle=True)


def _follow_catalogs(app: Flask, available: Any) -> None:
    """Read the catalogs of the addons available now (some were pip-installed since start-up)."""
    from flask_babel import get_babel

    from .translations import translation_directories

    folders = translation_directories(app.instance_path, available).split(";")
    with app.app_context():  # a rediscovery may come outside a request (a job, a shell)
        babel = get_babel(app)
        if folders != babel.translation_directories:
            babel.translation_directories = folders
            babel.instance.domain_instance.cache.clear()


def runtime_of(app: Flask) -> Runtime:
    return app.extensions["kangyi"]


def _select_locale() -> str:
    if g.get("api_lang"):  # the API key's user (REST)
        return g.api_lang
    user = current_user if getattr(g, "env", None) is not None else None
    if user is not None and getattr(user, "lang", None):
        return user.lang
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _open_env() -> None:
    from flask import current_app

    runtime = runtime_of(current_app)
    session = Session(runtime.engine, expire_on_commit=False)
    g.db = session
    # SQLite: no write lock for reads, nor under an environment this thread holds open
    if request.method in ("GET", "HEAD", "OPTIONS") or runtime.env_open_in_thread():
        session.connection(execution_options={db.READ_ONLY: True})
    registry = runtime.registry_for(session)
    g.env = Environment(registry, session, uid=None, su=False)
    user = current_user
    if user.is_authenticated:
        g.env = Environment(registry, session, uid=user.id, context={"lang": user.lang or "en"},
                            su=False)


def _load_user(user_id: str, stamped: bool = True) -> WebUser | None:
    """The active user of the session cookie: one query of the columns WebUser keeps. A cookie
    signed before the user's sessions were ended (logout, new password, "log out everywhere")
    no longer names a user."""
    from flask import has_request_context, session

    env = getattr(g, "env", None)
    if env is None or not user_id.isdigit():
        return None
    users = env.registry["res.users"]
    row = env.session.execute(select(
        users.id, users.login, users.name, users.lang, users.session_generation).where(
        users.id == int(user_id), users.active.is_(True))).first()
    if row is None:
        return None
    generation = row.session_generation or 0
    if stamped and has_request_context() and session.get(SESSION_GENERATION, 0) != generation:
        return None
    return WebUser(row.id, row.login, row.name, row.lang, generation)


def _commit(response: Any) -> Any:
    session = getattr(g, "db", None)
    if session is not None and response.status_code < 400:
        session.commit()
    return response


def _close_env(exc: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.rollback()
        session.close()


def _register_error_handlers(app: Flask) -> None:
    def render_error(status: int, message: str) -> Any:
        session = getattr(g, "db", None)
        if session is not None:  # a failed statement leaves the transaction unusable: the
            session.rollback()  # page's layout (menus, user) reads in a fresh one
        if request.path.startswith(("/api/", "/jsonrpc", "/xmlrpc", "/web/dataset",
                                    "/web/session")):
            return {"error": {"code": status, "message": message}}, status
        return render_template("web/error.html", status=status, message=message), status

    @app.errorhandler(KangyiError)
    def kangyi_error(exc: KangyiError) -> Any:
        if isinstance(exc, (AccessError, MissingError)):
            log.info("%s: %s", type(exc).__name__, exc.message)
        return render_error(exc.http_status, exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        from .i18n import _

        return render_error(400, _("The form has expired or was not sent by this site; "
                                   "reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        response = app.make_response(render_error(exc.code or 500, exc.description or exc.name))
        response.headers.update((k, v) for k, v in exc.get_headers() if k != "Content-Type")
        return response  # keeps e.g. the Allow header of a 405

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Any:
        from .api.errors import as_kangyi_error
        from .i18n import _

        error = as_kangyi_error(exc, log_unexpected=False)
        if error.http_status < 500:  # bad input the checks let through (see as_kangyi_error)
            return render_error(error.http_status, error.message)
        log.exception("Unexpected error on %s %s", request.method, request.path)
        return render_error(500, _("An unexpected error occurred; it has been logged."))
