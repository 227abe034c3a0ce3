"""Hooks the projects addon asks; glue addons answer them (``project_purchase``)."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookspec


@hookspec
def project_cost_lines(env: Any, year: int, month: int) -> list[dict[str, Any]]:
    """Further costs charged to projects for the monthly cost statistics: a list of
    ``{"project_id": id, "month": Decimal, "to_date": Decimal}`` — what the month cost and what
    it cost up to the month's end. Aggregate in SQL (one GROUP BY); projects the acting user may
    not read are left out of the report afterwards.

    :param env: the acting user's environment (the report's reader, or the job's user)
    """


@hookspec
def project_profitability(env: Any, project_ids: list[int]) -> list[dict[str, Any]]:
    """Revenues and costs other addons know of the projects ``project_ids`` (the projects'
    profitability): a list of ``{"project_id": id, "section": "revenue" | "cost", "key": str,
    "label": str, "amount": Decimal}`` (amounts untaxed and positive, costs too), with
    ``"expected": True`` for an amount not yet earned or spent (shown, not in the margin).
    Aggregate in SQL (one GROUP BY per source for all the projects); read as superuser: the
    caller asks only for projects its reader may read.

    :param env: the acting user's environment
    :param project_ids: the projects
    """
