"""Print formats as addons declare them, and the ``ir.actions.report`` model."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Mapped

from .. import fields
from ..errors import AddonError
from ..i18n import _, _l

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["Report", "Table", "reports_of", "reports_for_model", "ActionReport"]


@dataclasses.dataclass(frozen=True)
class Table:
    """A table of a document: the rows of a one2many (``lines``) with some of their fields.

    :param lines: the one2many field of the document
    :param columns: fields of the line model, in order
    :param title: a heading above the table
    :param sums: columns summed in a last row
    :param domain: only the lines matching this domain (e.g. an invoice's product lines)
    """

    lines: str
    columns: tuple[str, ...]
    title: Any = None
    sums: tuple[str, ...] = ()
    domain: tuple[Any, ...] = ()


@dataclasses.dataclass(frozen=True)
class Report:
    """A print format of an addon.

    :param id: external id of its ``ir.actions.report`` record, ``addon.name``
    :param report_name: the name in its address, ``/report/pdf/<report_name>/<ids>``
    :param name: the button's label and the document's title (an ``_l`` string)
    :param model: the model it prints
    :param header: fields shown as label: value above the tables
    :param tables: the line tables
    :param totals: fields shown as totals below the tables
    :param amount_words: a money field written out in Chinese capitals (大写) too
    :param signatures: labels of the signature boxes at the foot (制单, 审核…)
    :param notes: a text field printed at the end (terms, notes)
    :param values: ``values(env, record, document) -> document`` to adjust or compute what is
        printed (e.g. the names of those who prepared and approved a voucher)
    :param groups: only members of these groups see the print button (access rules apply
        whatever the button)
    """

    id: str
    report_name: str
    name: Any
    model: str
    header: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    totals: tuple[str, ...] = ()
    amount_words: str | None = None
    signatures: tuple[Any, ...] = ()
    notes: str | None = None
    values: Callable[..., Any] | None = None
    groups: tuple[str, ...] = ()


class ActionReport:
    _name = "ir.actions.report"
    _description = _l("Print format")
    _order = "model, name"

    name: Mapped[str] = fields.Char(_l("Name"), required=True)
    report_name: Mapped[str] = fields.Char(_l("Report name"), size=128, required=True,
                                           unique=True)
    model: Mapped[str] = fields.Char(_l("Model"), size=128, required=True, index=True)
    report_type: Mapped[str] = fields.Char(_l("Report type"), size=32, default="qweb-pdf")


def reports_of(registry: Registry) -> dict[str, Report]:
    """The print formats of the installed addons by ``report_name``."""

    def collect() -> dict[str, Report]:
        found: dict[str, Report] = {}
        owner: dict[str, str] = {}
        for addon, declared in registry.call("register_reports"):
            for report in declared:
                if report.report_name in found:
                    raise AddonError(_("The print format %(report)s is declared by both "
                                       "%(a)s and %(b)s.", report=report.report_name,
                                       a=owner[report.report_name], b=addon))
                found[report.report_name], owner[report.report_name] = report, addon
        return found

    return registry.derived("kangyi.reports", collect)


def reports_for_model(registry: Registry, model: str) -> list[Report]:
    return [r for r in reports_of(registry).values() if r.model == model]


def sync_reports(loader: Any, reports: list[Report]) -> None:
    """Store each declared format as an ``ir.actions.report`` record (by external id)."""
    for report in reports:
        loader.record(report.id, "ir.actions.report", {
            "name": str(report.name), "report_name": report.report_name, "model": report.model,
            "report_type": "qweb-pdf"})
