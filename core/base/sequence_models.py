"""Document numbering: ``ir.sequence`` and its per-year counters (see :mod:`core.sequence`)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l
from core.models import model_method

RESETS = [("none", _l("Never")), ("yearly", _l("Every year"))]


class Sequence:
    _name = "ir.sequence"
    _description = _l("Numbering sequence")
    _order = "code, company_id, id"

    name: Mapped[str] = fields.Char(_l("Name"), required=True, translate=True)
    code: Mapped[str] = fields.Char(_l("Code"), size=128, required=True, index=True, code=True)
    prefix: Mapped[Optional[str]] = fields.Char(
        _l("Prefix"), size=64, code=True, help=_l("May use %(year)s, %(y)s, %(month)s, %(day)s."))
    suffix: Mapped[Optional[str]] = fields.Char(_l("Suffix"), size=64, code=True)
    padding: Mapped[Optional[int]] = fields.Integer(_l("Digits"), default=5)
    number_increment: Mapped[Optional[int]] = fields.Integer(_l("Step"), default=1)
    number_next: Mapped[Optional[int]] = fields.Integer(_l("Next number"), default=1)
    reset: Mapped[Optional[str]] = fields.Selection(RESETS, _l("Restart numbering"),
                                                    default="none")
    company_id: Mapped[Optional[int]] = fields.Many2one("res.company", _l("Company"))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @model_method
    @classmethod
    def next_by_code(cls, env, code, day=None, company_id=None):  # noqa: ANN001, ANN206
        """The next number of sequence ``code`` (:func:`core.sequence.next_by_code`)."""
        from core.sequence import next_by_code

        if not env.su:
            env.access.check("ir.sequence", "read")
        return next_by_code(env, code, day, company_id)


class SequenceYear:
    _name = "ir.sequence.year"
    _description = _l("Sequence counter of a year")
    _order = "sequence_id, year"
    _rec_name = "year"

    sequence_id: Mapped[int] = fields.Many2one("ir.sequence", _l("Numbering sequence"),
                                               required=True, ondelete="CASCADE")
    year: Mapped[int] = fields.Integer(_l("Year"), required=True)
    number_next: Mapped[Optional[int]] = fields.Integer(_l("Next number"), default=1)


SEQUENCE_MODELS = [Sequence, SequenceYear]
