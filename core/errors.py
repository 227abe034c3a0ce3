"""Exceptions with a message meant for the user; the APIs map each class to its wire shape.
:func:`database_error` says which of them a database exception stands for, for every door (a
service call, the web, the APIs)."""

from __future__ import annotations

from sqlalchemy.exc import DataError, IntegrityError, OperationalError

__all__ = [
    "KangyiError",
    "UserError",
    "ValidationError",
    "AccessError",
    "MissingError",
    "ConcurrencyError",
    "AddonError",
    "AddonUnavailable",
    "DomainError",
    "RETRYABLE_SQLSTATES",
    "database_error",
]


class KangyiError(Exception):
    """Base class: ``str(exc)`` is a complete, translated sentence for the user."""

    #: Odoo's exception name, for JSON-RPC ``data.name``
    odoo_name = "odoo.exceptions.UserError"
    http_status = 400

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = str(message)
        self.details = details


class UserError(KangyiError):
    """The operation makes no sense in the current state of the data."""


class ValidationError(KangyiError):
    """Values break a rule of the model (required field, constraint, wrong type)."""

    odoo_name = "odoo.exceptions.ValidationError"
    http_status = 422


class AccessError(KangyiError):
    """The user may not perform this operation on this model or record."""

    odoo_name = "odoo.exceptions.AccessError"
    http_status = 403


class MissingError(KangyiError):
    """A record does not exist (any more)."""

    odoo_name = "odoo.exceptions.MissingError"
    http_status = 404


class ConcurrencyError(KangyiError):
    """Someone else changed the record since it was read."""

    http_status = 409


class AddonError(KangyiError):
    """An addon cannot be found, resolved, installed, upgraded or removed."""


class AddonUnavailable(AddonError):
    """The database has an addon installed whose package this server does not have."""

    http_status = 503


class DomainError(ValidationError):
    """A search domain is malformed or names an unknown field or operator."""


#: SQLSTATEs of a transaction PostgreSQL gave up because of another one (deadlock, serialization
#: failure): nothing was saved, and the same request may simply be sent again
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def database_error(exc: BaseException) -> KangyiError | None:
    """The user's error that database exception ``exc`` stands for, or None (a bug): a broken
    constraint or a value a column cannot hold is the input's fault (:class:`ValidationError`),
    a transaction given up for another one's sake asks to try again (:class:`ConcurrencyError`,
    409)."""
    from .i18n import _

    if isinstance(exc, IntegrityError):
        return ValidationError(_("The operation would break the integrity of the data "
                                 "(a duplicate value or a record still in use)."))
    if isinstance(exc, DataError):  # a value the column cannot hold (PostgreSQL)
        return ValidationError(_("A value is out of range or not valid for its field."))
    if (isinstance(exc, OperationalError)
            and getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES):
        return ConcurrencyError(_("Another change to the same data was saved at the same "
                                  "time; nothing was saved: please try again."))
    return None
