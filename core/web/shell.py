"""The page shell: applications in the top bar, the current app's side menu, breadcrumbs, and
locale-aware formatting of field values for templates."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from ..caching import RegistryCache, shared
from ..i18n import _
from ..menus import MENU_ARG, menus_of
from ..security import SECURITY_CHANGES
from . import blueprint
from .cells import format_moment, format_value
from .references import many2one_link, reference_cell, reference_input


def user_menus() -> Any:
    """The menus of the current user, computed once per request."""
    if "kangyi_menus" not in g:
        g.kangyi_menus = menus_of(g.env.registry).for_user(g.env)
    return g.kangyi_menus


#: the session key of the application whose menu the user last clicked
_APP_KEY = "kangyi_app"


def current_menu(menus: Any) -> Any:
    """The menu item of this page: the one clicked (``?menu=``, remembered as the active
    application), else the best match of the path within the active application, then
    anywhere (several applications may open the same model: CRM and Contacts both list
    partners)."""
    clicked = menus.get(request.args.get(MENU_ARG))
    if clicked is not None:
        root = menus.root_of(clicked).id
        if session.get(_APP_KEY) != root:
            session[_APP_KEY] = root
        return clicked
    return menus.find(request.path, session.get(_APP_KEY))


@blueprint.app_context_processor
def shell_context() -> dict[str, Any]:
    env = getattr(g, "env", None)
    if env is None or not current_user.is_authenticated or env.uid is None:
        return {"menus": None, "active_app": None, "current_menu": None}
    menus = user_menus()
    current = current_menu(menus)
    app = menus.root_of(current) if current is not None else None
    return {"menus": menus, "active_app": app, "current_menu": current,
            "is_admin": env.access.is_admin}


#: the applications bar and side menus as HTML, by the user's groups (what they may see
#: follows from them and the access rights, under the security counter), language, application
#: and menu item
_MENU_HTML: RegistryCache[Markup] = RegistryCache(512)


def _cached_menu(template: str, key: tuple[Any, ...], **context: Any) -> Markup:
    env = g.env
    return shared(env, SECURITY_CHANGES, _MENU_HTML,
                  (template, env.access.group_ids, str(get_locale()), *key),
                  lambda: Markup(current_app.jinja_env.get_template(template).render(
                      menus=user_menus(), **context)))


@blueprint.app_template_global()
def apps_menu(active_app: Any) -> Markup:
    """The applications of the top bar (``active_app`` marked)."""
    return _cached_menu("web/apps_menu.html", (active_app and active_app.id,),
                        active_app=active_app)


@blueprint.app_template_global()
def side_menu(active_app: Any, current: Any) -> Markup:
    """The side menu of ``active_app`` (the ``current`` item marked)."""
    return _cached_menu("web/side_menu.html", (active_app.id, current and current.id),
                        active_app=active_app, current_menu=current)


blueprint.add_app_template_filter(format_value, "fmt")
blueprint.add_app_template_filter(reference_cell, "reference")
blueprint.add_app_template_global(reference_input, "reference_input")
blueprint.add_app_template_global(many2one_link, "many2one_link")
blueprint.add_app_template_filter(format_moment, "moment")
blueprint.add_app_template_global(get_locale, "get_locale")


@blueprint.app_template_global()
def translated(value: Any) -> str:
    """A stored string (group or menu name) through the catalog."""
    return _(str(value)) if value else ""
