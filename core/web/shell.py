"""The page shell: applications in the top bar, the current app's side menu, breadcrumbs, and
locale-aware formatting of field values for templates."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from flask import g, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user
from markupsafe import Markup

from ..i18n import _
from ..menus import menus_of
from . import blueprint


def user_menus() -> Any:
    """The menus of the current user, computed once per request."""
    if "kangyi_menus" not in g:
        g.kangyi_menus = menus_of(g.env.registry).for_user(g.env)
    return g.kangyi_menus


@blueprint.app_context_processor
def shell_context() -> dict[str, Any]:
    env = getattr(g, "env", None)
    if env is None or not current_user.is_authenticated or env.uid is None:
        return {"menus": None, "active_app": None, "current_menu": None}
    menus = user_menus()
    current = menus.find(request.path)
    app = menus.root_of(current) if current is not None else None
    return {"menus": menus, "active_app": app, "current_menu": current,
            "is_admin": env.access.is_admin}


def _scale(info: Any) -> int:
    return (info.digits or (16, 2))[1] if info is not None else 2


def format_value(value: Any, info: Any = None, translate: bool = False) -> Any:
    """A field value as the user should read it, formatted for the current locale."""
    kind = getattr(info, "type", None)
    if value is None or (value is False and kind != "boolean"):
        return ""
    if kind == "boolean" or isinstance(value, bool):
        return Markup('<span class="bool" aria-label="{}">{}</span>').format(
            _("Yes") if value else _("No"), "✔" if value else "✘")
    if kind == "many2one" or (isinstance(value, (list, tuple)) and len(value) == 2
                              and isinstance(value[0], int) and kind is None):
        return value[1]
    if kind == "selection":
        return str(dict(info.selection or ()).get(value, value))
    if isinstance(value, decimal.Decimal):
        scale = _scale(info) if kind == "monetary" else min(
            max(-value.normalize().as_tuple().exponent, 0), _scale(info))
        pattern = "#,##0" + ("." + "0" * scale if scale else "")
        return format_decimal(value, format=pattern)
    if isinstance(value, dt.datetime):
        return format_datetime(value, "short")
    if isinstance(value, dt.date):
        return format_date(value, "medium")
    if isinstance(value, int) and kind == "integer":
        return format_decimal(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _(value) if translate and isinstance(value, str) else value


blueprint.add_app_template_filter(format_value, "fmt")
blueprint.add_app_template_global(get_locale, "get_locale")


@blueprint.app_template_global()
def translated(value: Any) -> str:
    """A stored string (group or menu name) through the catalog."""
    return _(str(value)) if value else ""
