"""Hooks the purchase addon fires; the glue addons (purchase_stock, purchase_account) implement
them. Purchase works alone when nobody does: orders are approved, amended and cancelled, and
nothing is received or billed."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookspec


@hookspec
def purchase_order_approved(env: Any, order: Any) -> None:
    """A purchase order passed its approvals (state ``purchase``), first time or after an
    amendment: goods may be received and billed.

    :param env: superuser environment inside the approving transaction
    :param order: the ``purchase.order`` ORM record
    """


@hookspec
def purchase_order_amended(env: Any, order: Any) -> None:
    """An approved purchase order went back to draft for an amendment (its approved version is
    kept in ``purchase.order.revision``); open receipts wait for the new approval.

    :param env: superuser environment inside the amending transaction
    :param order: the ``purchase.order`` ORM record, now a draft
    """


@hookspec
def purchase_order_cancelled(env: Any, order: Any) -> None:
    """A purchase order was cancelled (nothing received or billed).

    :param env: superuser environment inside the cancelling transaction
    :param order: the ``purchase.order`` ORM record
    """
