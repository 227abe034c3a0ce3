"""Exceptions with a message meant for the user; the APIs map each class to its wire shape."""

from __future__ import annotations

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
