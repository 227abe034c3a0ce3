"""The glue's registrations: the product field of contract lines and its column in the form."""

from __future__ import annotations

from typing import Any

from core.plugins import hookimpl
from core.views import ViewExtension

from .models import MODELS


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_views() -> list[Any]:
    return [ViewExtension("crm.contract", "form", lines="line_ids", add=("product_id",),
                          before="name")]
