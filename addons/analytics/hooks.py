"""Data analysis' hook implementations: the saved-view model, security, pages."""

from __future__ import annotations

from core.pages import Page
from core.plugins import hookimpl

from .models import MODELS
from .security import ACCESS, GROUPS, RULES


@hookimpl
def register_models() -> list[type]:
    return MODELS


@hookimpl
def register_groups() -> list:
    return GROUPS


@hookimpl
def register_access() -> list:
    return ACCESS


@hookimpl
def register_rules() -> list:
    return RULES


@hookimpl
def register_pages() -> list:
    from .filters import save_view
    from .web import graph_view, pivot_view, static_file

    return [Page("analytics.pivot", "pivot/<model>", pivot_view, kind="pivot"),
            Page("analytics.graph", "graph/<model>", graph_view, kind="graph"),
            Page("analytics.save_view", "views/<model>", save_view, methods=("POST",)),
            Page("analytics.static", "static/<name>", static_file)]
