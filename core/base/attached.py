"""The fragment every core model attached to "any record" shares: ``res_model`` + ``res_id``.

Messages, tracked changes, activities, attachments, approval requests and approval history point
at a record of any model by its model name and id (no foreign key: the record may be of any
model, and history outlives it). :func:`attached_to_record` adds those fields, the document name
where one is kept, and the defaults these models share: kept by the engine alone
(``_engine_only``, see :mod:`core.integrity`) and newest first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core import fields
from core.fields import field_info
from core.i18n import _l

__all__ = ["attached_to_record"]


def _reference_fields(name: bool) -> dict[str, Any]:
    """Fresh field objects (the registry names each field after its model)."""
    refs = {"res_model": fields.Char(_l("Model"), size=128, required=True, index=True,
                                     code=True),
            "res_id": fields.Integer(_l("Record"), required=True, index=True)}
    if name:
        refs["res_name"] = fields.Char(_l("Document"))
    return refs


def attached_to_record(*, name: bool = True, engine_only: bool = True, order: str = "id desc",
                       after: str | None = None) -> Callable[[type], type]:
    """Class decorator for a model fragment attached to any record.

    :param name: also keep the record's display name (``res_name``) as it was then
    :param engine_only: only the core's modules write it (the service refuses every door)
    :param order: default order, unless the class sets its own ``_order``
    :param after: put the fields after this field of the class (default: before its first
        field), so default views list them where they always were
    """

    def apply(cls: type) -> type:
        own = [key for key, value in cls.__dict__.items() if field_info(value) is not None]
        start = own.index(after) + 1 if after is not None else 0
        moved = {key: cls.__dict__[key] for key in own[start:]}
        for key in moved:  # re-added after the reference fields: the class dict keeps order
            delattr(cls, key)
        for key, value in {**_reference_fields(name), **moved}.items():
            setattr(cls, key, value)
        if "_order" not in cls.__dict__:
            cls._order = order  # type: ignore[attr-defined]
        if "_engine_only" not in cls.__dict__:
            cls._engine_only = engine_only  # type: ignore[attr-defined]
        return cls  # the same class: zero-argument super() in its methods keeps working

    return apply
