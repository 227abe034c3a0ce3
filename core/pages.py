"""Addon pages: web pages an addon serves besides the generic views (dashboards, wizards,
reports), contributed through the ``register_pages`` hook.

An addon returns :class:`Page` objects; the core serves them under ``/web/page/<addon>/…`` through
one catch-all route that matches the path against the pages of the *current* registry, so a page
appears when its addon is installed and disappears when it is removed, without a restart and in
every worker. The page's view runs with ``g.env`` (the logged-in user's environment), so whatever it
reads goes through the model service and its access rules. Templates live in the addon's
``templates/`` folder under a folder named after the addon (``crm/segmentation.html``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, abort, g, redirect, request, url_for
from flask_login import login_required
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from .errors import AddonError
from .i18n import _

if TYPE_CHECKING:
    from .registry import Registry

__all__ = ["Page", "PageMap", "pages_of", "init_app", "PREFIX", "VIEW_KINDS"]

PREFIX = "/web/page"


@dataclasses.dataclass(frozen=True)
class Page:
    """One page of an addon.

    :param id: external id, ``addon.name``
    :param rule: path under ``/web/page/<addon>/``, in werkzeug syntax
        (``customer/<int:partner_id>``)
    :param view: ``view(**url_variables)`` returning a Flask response (or a string)
    :param methods: HTTP methods it answers (a POST form must carry its CSRF token)
    :param groups: only members of one of these groups may open it (others get a 403)
    :param kind: a view kind of every model this page serves (one of :data:`VIEW_KINDS`): the
        core then also serves it at ``/web/<model>/<kind>``, calling ``view(model=...)``, and
        lists offer it beside their other views
    :param slow: its downloads (a GET with ``?export=…``) take seconds: each runs as a
        background job of the user, who follows it on the job's progress page and downloads
        the file from there (the view runs in the job as it would in the request)
    :param title: the page's title (an ``_l`` string), naming its background downloads
    """

    id: str
    rule: str
    view: Callable[..., Any]
    methods: tuple[str, ...] = ("GET",)
    groups: tuple[str, ...] = ()
    kind: str = ""
    slow: bool = False
    title: Any = None


#: the view kinds an addon's page may serve for every model (``/web/<model>/pivot``)
VIEW_KINDS = ("pivot", "graph")


class PageMap:
    """The pages of one registry, as a werkzeug URL map."""

    def __init__(self, registry: Registry) -> None:
        self.pages: dict[str, Page] = {}
        #: the pages serving a view kind of every model, by kind
        self.kinds: dict[str, Page] = {}
        owner: dict[str, str] = {}
        rules = []
        for addon, pages in registry.call("register_pages"):
            for page in pages:
                if page.id in self.pages:
                    raise AddonError(_("The page %(page)s is declared by both %(a)s and %(b)s.",
                                       page=page.id, a=owner[page.id], b=addon))
                if page.kind and (page.kind not in VIEW_KINDS or page.kind in self.kinds):
                    raise AddonError(_("The page %(page)s of %(addon)s cannot serve the view "
                                       "kind %(kind)s.", page=page.id, addon=addon,
                                       kind=page.kind))
                self.pages[page.id] = page
                if page.kind:
                    self.kinds[page.kind] = page
                owner[page.id] = addon
                rules.append(Rule(f"/{addon}/{page.rule.lstrip('/')}", endpoint=page.id,
                                  methods=list(page.methods)))
        self.map = Map(rules, strict_slashes=False)

    def match(self, path: str, method: str) -> tuple[Page, dict[str, Any]]:
        """The page serving ``path`` (below the prefix) and its URL variables; raises 404/405."""
        endpoint, values = self.map.bind("localhost").match("/" + path, method=method)
        return self.pages[endpoint], values

    def url(self, page_id: str, **values: Any) -> str:
        """The address of a page, e.g. ``url("crm.customer", partner_id=7)``."""
        return PREFIX + self.map.bind("localhost").build(page_id, values)


def pages_of(registry: Registry) -> PageMap:
    """The composed pages of ``registry``, built once per registry object."""
    return registry.derived(PageMap, lambda: PageMap(registry))


blueprint = Blueprint("pages", __name__)


@blueprint.route(f"{PREFIX}/<path:path>", methods=["GET", "POST"])
@login_required
def serve(path: str) -> Any:
    """Find the installed addon's page for ``path`` and run it for the logged-in user."""
    try:
        page, values = pages_of(g.env.registry).match(path, request.method)
    except NotFound:
        abort(404)
    except MethodNotAllowed as exc:
        raise exc from None
    _check_groups(page)
    if page.slow and request.method == "GET" and request.args.get("export"):
        from .jobs import enqueue

        job_id = enqueue(g.env, "core.web.background:page_download", path,
                         request.query_string.decode(),
                         name=_("Download %(file)s", file=page.title or path.rsplit("/", 1)[-1]))
        return redirect(url_for("jobs.job_status", job_id=job_id))
    return page.view(**values)


def _check_groups(page: Page) -> None:
    access = g.env.access
    if page.groups and not any(access.has_group(group) for group in page.groups):
        abort(403, _("This page is reserved to other groups of users."))


@blueprint.route(f"/web/<model>/<any({', '.join(VIEW_KINDS)}):kind>", methods=["GET"])
@login_required
def serve_kind(model: str, kind: str) -> Any:
    """``/web/<model>/pivot`` and ``/graph``: the installed addon's page of that kind."""
    page = pages_of(g.env.registry).kinds.get(kind)
    if page is None or model not in g.env.registry:
        abort(404)
    _check_groups(page)
    return page.view(model=model)


def _template_folders(available: Any) -> list[str]:
    return [str(info.path / "templates") for info in available.values()
            if (info.path / "templates").is_dir()]


def init_app(app: Flask) -> None:
    """Serve addon pages and find templates in every available addon's ``templates/``."""
    app.register_blueprint(blueprint)
    runtime = app.extensions["kangyi"]
    addon_templates = FileSystemLoader(_template_folders(runtime.available))
    loaders = [loader for loader in (app.jinja_loader, addon_templates) if loader]
    app.jinja_loader = ChoiceLoader(loaders)  # type: ignore[assignment]

    def follow(available: Any) -> None:  # addons pip-installed since start-up
        addon_templates.searchpath = _template_folders(available)

    runtime.on_rediscover.append(follow)
    app.jinja_env.globals["page_url"] = lambda page_id, **values: pages_of(
        g.env.registry).url(page_id, **values)
