"""Hooks the sales addon fires; stock, accounting and CRM glue implement them.

Sales works on its own when nobody implements them: delivery notices are marked shipped by hand,
invoicing notices are marked invoiced by hand, collections are recorded in sales.
"""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookspec


@hookspec
def sale_order_approved(env: Any, order_id: int) -> None:
    """A sales order passed its approvals (state ``sale``): goods may be delivered and invoiced.

    :param env: superuser environment inside the approving transaction
    :param order_id: id of the ``sale.order``
    """


@hookspec
def sale_order_cancelled(env: Any, order_id: int) -> None:
    """A sales order was cancelled (before any delivery).

    :param env: superuser environment inside the cancelling transaction
    :param order_id: id of the ``sale.order``
    """


@hookspec(firstresult=True)
def delivery_notice_approved(env: Any, notice_id: int) -> Any:
    """A delivery notice (发货通知单) was approved by the sales assistant.

    The stock glue creates the warehouse transfer (仓库调拨单) and returns a reference to it (e.g.
    ``"stock.picking,42"``); the notice then waits for the warehouse, which reports the shipped
    quantities by calling the notice's ``_ship(quantities)`` when the transfer is done. When
    nobody returns anything, the sales assistant marks the notice shipped by hand.

    firstresult: stops at the first non-None result.

    :param env: superuser environment inside the approving transaction
    :param notice_id: id of the ``sale.delivery.notice``
    :return: a reference to the document that will ship the goods, or None
    """


@hookspec
def delivery_notice_shipped(env: Any, notice_id: int) -> None:
    """A delivery notice's goods left (shipped by hand or by the warehouse transfer).

    :param env: superuser environment
    :param notice_id: id of the ``sale.delivery.notice``
    """


@hookspec(firstresult=True)
def invoicing_notice_sent(env: Any, notice_id: int) -> Any:
    """An invoicing notice (开票通知单), reviewed by the sales assistant, was sent to finance.

    The accounting glue creates the customer invoice (``account.move``, ``out_invoice``) and
    returns a reference to it; when the invoice is posted it calls the notice's
    ``_mark_invoiced(number, date, reference)``. When nobody returns anything, the invoice
    number is recorded on the notice by hand.

    firstresult: stops at the first non-None result.

    :param env: superuser environment inside the sending transaction
    :param notice_id: id of the ``sale.invoice.notice``
    :return: a reference to the invoice, or None
    """


@hookspec
def invoicing_notice_invoiced(env: Any, notice_id: int) -> None:
    """An invoicing notice was invoiced (finance issued the invoice, by hand or through
    accounting). The stock glue moves the invoiced goods out of the customer's transit location
    (发出商品) to the customer: the moment cost of sales is recognised (SA-003 step 6).

    :param env: superuser environment inside the invoicing transaction
    :param notice_id: id of the ``sale.invoice.notice``
    """


@hookspec(firstresult=True)
def collection_recorded(env: Any, collection_id: int) -> Any:
    """A payment collection (回款) was confirmed with its allocations to orders.

    The accounting glue records the receipt (``account.payment``) and writes off (核销) the
    invoices; it returns a reference to the receipt.

    firstresult: stops at the first non-None result.

    :param env: superuser environment inside the confirming transaction
    :param collection_id: id of the ``sale.collection``
    :return: a reference to the receipt, or None
    """


@hookspec
def collection_cancelled(env: Any, collection_id: int) -> None:
    """A confirmed payment collection was cancelled (its allocations no longer count).

    The accounting glue reverses the receipt; the CRM glue removes the contract receipts.

    :param env: superuser environment inside the cancelling transaction
    :param collection_id: id of the ``sale.collection``
    """
