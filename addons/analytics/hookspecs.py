"""The hook data analysis declares; addons depending on it (or glue) implement it."""

from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def register_analyses() -> list:
    """Return ``addons.analytics.declare`` items: ``Analysis`` (a pivot or chart of a model
    with its default grouping and measures), ``Tile`` (a KPI), ``ShortList`` and ``Dashboard``
    (a post's page gathering them by id). Items of models not installed are left out."""
