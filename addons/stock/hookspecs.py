"""Hooks the stock addon fires; addons depending on it (sale_stock, stock_account…) implement
them with ``@hookimpl`` in their ``hooks.py``."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookspec


@hookspec
def stock_moves_done(env: Any, move_ids: list[int]) -> None:
    """Stock moves were just done: quantities moved and each move carries its ``value``.

    Called once per batch (a validated transfer, an inventory count, a consumption), inside the
    same transaction; raising cancels the whole operation. ``stock_account`` turns the values
    into journal entries (1405 stock, 1406 goods shipped, 6401 cost of sales).

    :param env: the acting environment
    :param move_ids: ids of the ``stock.move`` records now done
    """


@hookspec(firstresult=True)
def stock_picking_origin_approved(env: Any, picking: Any) -> bool | None:
    """Is there an approved sales order or contract behind this transfer?

    Asked before the first approval (一审) of a transfer whose type requires an origin (the
    shipment to a customer's transit location). Answer True or False when the picking is
    yours (e.g. it came from a delivery notice), None otherwise; when nobody answers True the
    transfer is refused.

    firstresult: stops at the first non-None result.
    """


@hookspec
def stock_picking_done(env: Any, picking: Any) -> None:
    """A transfer is done (after its validation or its second approval, 二审).

    :param env: the acting environment
    :param picking: the ``stock.picking`` ORM record
    """


@hookspec(firstresult=True)
def stock_replenish(env: Any, orderpoint: dict[str, Any]) -> bool | None:
    """A reorder rule is below its minimum (the replenishment job, daily): order the goods.

    purchase_stock answers with a purchase request and returns True; when nobody
    answers, stock plans a to-do for its stock managers. firstresult: stops at the first
    non-None result.

    :param env: environment of the job's user (the administrator by default)
    :param orderpoint: the rule as read: ``id``, ``name``, ``product_id``, ``warehouse_id``,
        ``qty_on_hand``, ``qty_to_order``
    :return: True when this addon took care of it, else None
    """
