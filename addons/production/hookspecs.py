"""Hooks the production addon fires; glue addons implement them (``sale_production`` brings
the sales demand, ``production_purchase`` the purchases, ``production_account`` the vouchers).
Production works alone when nobody does: planning then sees reorder rules and open orders only,
and purchase proposals are bought by hand."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookspec


@hookspec
def mrp_demand(env: Any) -> list[dict[str, Any]]:
    """Independent demand for material planning (approved sales orders…).

    :return: rows ``{"product_id", "qty", "date", "origin"}``: quantity in the product's unit
        still to deliver, the date it is due and the source document's name (a make-to-order
        product gets one manufacturing order per origin); optionally ``"ordered"``, the whole
        quantity the origin asked for (delivered included): the make-to-order orders made for
        it, finished ones too, then count against it
    """


@hookspec
def mrp_incoming(env: Any) -> dict[int, Any]:
    """Supply on its way that is not yet a stock move (approved purchase requests not ordered
    yet…): ``{product_id: quantity}``."""


@hookspec(firstresult=True)
def mrp_purchase_lead_days(env: Any, product_ids: list[int]) -> dict[int, int] | None:
    """Days from ordering to receiving each product (the suppliers' delivery lead time);
    planning orders purchases this many days before they are needed."""


@hookspec(firstresult=True)
def mrp_purchase_proposals(env: Any, needs: list[dict[str, Any]]) -> str | None:
    """The planner confirmed purchase proposals: buy them.

    :param needs: ``{"product_id", "product_qty", "date_required", "reason"}`` each
    :return: a reference to what was created (``"purchase.request,12"``) or None when nobody
        buys (then confirming is refused: the planner buys by hand)
    """


@hookspec
def mrp_production_done(env: Any, production: Any) -> None:
    """A manufacturing order passed its inspection: its finished goods are received at the
    actual cost in ``cost_material``, ``cost_labour`` and ``cost_overhead``. Called in the same
    transaction (``production_account`` books the labour and overhead)."""
