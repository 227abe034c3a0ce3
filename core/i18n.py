"""Translation helpers usable anywhere: in a request they translate, elsewhere they pass through.

``_`` translates now; ``_l`` returns a lazy string for module-level labels (field and menu names),
translated when it is rendered.
"""

from __future__ import annotations

from typing import Any

from flask import has_app_context
from flask_babel import LazyString
from flask_babel import gettext as _babel_gettext

__all__ = ["_", "_l"]


def _(message: str, **variables: Any) -> str:
    """Translate ``message`` for the current user and interpolate ``%(name)s`` variables."""
    if has_app_context():
        try:
            return _babel_gettext(message, **variables)
        except (KeyError, RuntimeError):
            pass
    return message % variables if variables else message


def _l(message: str, **variables: Any) -> LazyString:
    """Lazy form of :func:`_`, for strings defined at import time."""
    return LazyString(_, message, **variables)
