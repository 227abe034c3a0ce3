"""Saved views (Odoo's ``ir.filters``): a search, grouping, measures and chart of a model,
for one user or shared (with everyone, or with the members of a group)."""

from __future__ import annotations

import json
from typing import Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.errors import ValidationError
from core.i18n import _, _l
from core.models import constrains


class Filter:
    _name = "ir.filters"
    _description = _l("Saved view")
    _order = "model_id, name"

    name: Mapped[str] = fields.Char(_l("Name"), required=True)
    model_id: Mapped[str] = fields.Char(_l("Model"), required=True, index=True)
    domain: Mapped[Optional[str]] = fields.Text(_l("Domain"), default="[]")
    context: Mapped[Optional[str]] = fields.Text(_l("Context"), default="{}")
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("User"),
                                                     ondelete="CASCADE")
    group_id: Mapped[Optional[int]] = fields.Many2one("res.groups", _l("Shared with group"),
                                                      ondelete="CASCADE")
    is_default: Mapped[bool] = fields.Boolean(_l("Default"))
    menu_id: Mapped[Optional[str]] = fields.Char(_l("Menu"))
    pinned: Mapped[bool] = fields.Boolean(_l("On my dashboard"))

    @constrains("domain", "context")
    def _check_json(self) -> None:
        for name in ("domain", "context"):
            text = getattr(self, name) or ("[]" if name == "domain" else "{}")
            try:
                value = json.loads(text)
            except ValueError as exc:
                raise ValidationError(_("The %(field)s of a saved view must be JSON.",
                                        field=name), field=name) from exc
            if not isinstance(value, list if name == "domain" else dict):
                raise ValidationError(_("The %(field)s of a saved view has the wrong shape.",
                                        field=name), field=name)


MODELS = [Filter]
