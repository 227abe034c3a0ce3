"""Kangyi ERP core: models, registry, the model service, security, lifecycle and APIs."""

from .env import SUPERUSER_ID, Environment
from .errors import (
    AccessError,
    AddonError,
    KangyiError,
    MissingError,
    UserError,
    ValidationError,
)
from .models import BaseModel, constrains, depends, public
from .plugins import hookimpl

__all__ = [
    "SUPERUSER_ID",
    "AccessError",
    "AddonError",
    "BaseModel",
    "Environment",
    "KangyiError",
    "MissingError",
    "UserError",
    "ValidationError",
    "constrains",
    "depends",
    "hookimpl",
    "public",
]

__version__ = "0.1.0"
