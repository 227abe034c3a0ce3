"""Sections shown under a record's form: figures other addons know about the record (a project's
profitability). Related documents are smart buttons instead (:mod:`core.related`).

Addons answer the ``form_sections`` hook with :class:`FormSection` objects; the form lists them
under its fields, in the order of the addons' answers. Each section is read with the user's own
environment, so a user who may not read what a section shows gets none.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .env import Environment

__all__ = ["FormSection", "form_sections"]


@dataclasses.dataclass(frozen=True)
class FormSection:
    """A titled table under a form.

    :param key: tags the section in the page (``data-section``)
    :param title: its heading (a translated string)
    :param columns: column headings
    :param rows: the cells of each row, as shown (money already formatted)
    :param links: the address each row's first cell opens (None: no link), one per row
    :param numeric: indexes of the columns holding numbers (aligned right)
    :param footer: cells of a totals row, if any
    """

    key: str
    title: Any
    columns: tuple[Any, ...]
    rows: tuple[tuple[Any, ...], ...]
    links: tuple[str | None, ...] = ()
    numeric: tuple[int, ...] = ()
    footer: tuple[Any, ...] | None = None


def form_sections(env: Environment, model: str, record_id: int) -> list[FormSection]:
    """Every addon's sections for the record ``record_id`` of ``model``."""
    return [section for answer in env.registry.pm.hook.form_sections(
        env=env, model=model, record_id=record_id) for section in (answer or ())]

