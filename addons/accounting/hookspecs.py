"""Hooks the accounting addon fires; glue addons (sale_account, stock_account) implement them."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookspec


@hookspec
def account_move_posted(env: Any, move: Any) -> None:
    """A journal entry or invoice was just posted (numbered, lines final).

    :param env: the acting environment
    :param move: the ``account.move`` ORM record
    """


@hookspec
def account_period_closing(env: Any, period: Any) -> None:
    """A period is being closed: book month-end entries (cost of sales…) before profit and loss
    is transferred and the period locked. Raising stops the close.

    :param env: the acting environment (a chief accountant)
    :param period: the ``account.period`` ORM record, still open
    """


@hookspec
def account_payment_posted(env: Any, payment: Any) -> None:
    """A receipt or payment was just posted and written off against the invoices chosen on it.
    The sales glue makes the receipt reach the sales orders of those invoices. Raising undoes
    the posting.

    :param env: the acting environment
    :param payment: the ``account.payment`` ORM record, posted
    """


@hookspec
def account_payment_reconciled(env: Any, payment: Any) -> None:
    """A posted receipt or payment was written off against more invoices (往来核销).

    :param env: the acting environment
    :param payment: the ``account.payment`` ORM record
    """


@hookspec
def account_period_reminders(env: Any, period: dict[str, Any]) -> Any:
    """What is still to do before ``period`` can be closed, for the month-end reminder to the
    chief and cost accountants (stock_account: the shipments not matched with invoices yet).

    :param env: the environment of the reminder job
    :param period: the ``account.period`` as read: ``id``, ``name``, ``date_from``, ``date_to``
    :return: lines of the reminder, lazy strings (``_l``) so each recipient reads them in their
        language; None or an empty list when nothing is left
    """
