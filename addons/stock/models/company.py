"""What the stock addon adds to companies: whether stock may go negative."""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l


class Company:
    _inherit = "res.company"

    stock_allow_negative: Mapped[bool] = fields.Boolean(
        _l("Allow negative stock"),
        help=_l("Let transfers take more than the quantity on hand (not recommended)."))


COMPANY_MODELS = [Company]
