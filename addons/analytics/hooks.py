"""Data analysis' hook implementations: the saved-view model, security, menus, pages, and the
analyses it ships for the other addons' areas."""

from __future__ import annotations

from core.i18n import _l
from core.menus import MenuItem
from core.pages import PREFIX, Page
from core.plugins import hookimpl

from .models import MODELS
from .security import ACCESS, GROUPS, RULES

# argument-less hooks answered by lists (core/plugins.py)
register_models, register_groups, register_access, register_rules = MODELS, GROUPS, ACCESS, RULES


@hookimpl
def register_pages() -> list:
    from .dashboards import dashboard_view
    from .filters import save_view
    from .web import graph_view, pivot_view, static_file

    return [Page("analytics.pivot", "pivot/<model>", pivot_view, kind="pivot"),
            Page("analytics.graph", "graph/<model>", graph_view, kind="graph"),
            Page("analytics.save_view", "views/<model>", save_view, methods=("POST",)),
            Page("analytics.static", "static/<name>", static_file),
            Page("analytics.dashboard", "dashboard", dashboard_view),
            Page("analytics.dashboard_of", "dashboard/<board_id>", dashboard_view)]


@hookimpl
def register_menus() -> list:
    return [
        MenuItem("analytics.menu_root", _l("Data analysis"), sequence=90),
        MenuItem("analytics.menu_dashboard", _l("Dashboards"), "analytics.menu_root", 10,
                 url=f"{PREFIX}/analytics/dashboard"),
        MenuItem("analytics.menu_filters", _l("Saved views"), "analytics.menu_root", 20,
                 model="ir.filters"),
    ]


@hookimpl
def register_views() -> list:
    from core.views import ListView

    return [ListView("ir.filters", ("name", "model_id", "user_id", "group_id", "is_default",
                                    "pinned"), search=("name", "model_id"))]


@hookimpl
def register_analyses() -> list:
    from .analyses import ITEMS

    return ITEMS
