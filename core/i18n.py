"""Translation helpers usable anywhere: in a request they translate, elsewhere they pass through.

``_`` translates now; ``_l`` returns a lazy string for module-level labels (field and menu names),
translated when it is rendered.

Within a request, the catalog of the request's locale is looked up once and kept beside
Flask-Babel's own per-request state, so a page of hundreds of labels pays one dictionary lookup
per string rather than Flask-Babel's locale and domain resolution each time. A change of locale in
the request (``force_locale``, ``refresh``) is seen, because the memo is keyed by the locale.
"""

from __future__ import annotations

from typing import Any

from flask.globals import _cv_app
from flask_babel import LazyString, get_translations
from flask_babel import gettext as _babel_gettext

__all__ = ["_", "_l", "ugettext"]


def _catalog() -> Any:
    """The request's translations, or None when Flask-Babel has not chosen a locale yet."""
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        return None
    state = app_ctx.g.__dict__.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return None
    memo = state.__dict__.get("kangyi_catalog")
    if memo is None or memo[0] is not locale:
        memo = state.kangyi_catalog = (locale, get_translations())
    return memo[1]


def ugettext(message: str) -> str:
    """``message`` translated for the current request (untouched outside one)."""
    catalog = _catalog()
    if catalog is not None:
        return catalog.ugettext(message)
    if _cv_app.get(None) is None:
        return message
    return _babel_gettext(message)


def _(message: str, **variables: Any) -> str:
    """Translate ``message`` for the current user and interpolate ``%(name)s`` variables."""
    try:
        text = ugettext(message)
        return text % variables if variables else text
    except (KeyError, RuntimeError):
        return message % variables if variables else message


def _l(message: str, **variables: Any) -> LazyString:
    """Lazy form of :func:`_`, for strings defined at import time."""
    return LazyString(_, message, **variables)
