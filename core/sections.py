"""Sections shown under a record's form: what other addons know about the record (the projects
of an opportunity, a project's sales orders, its profitability).

Addons answer the ``form_sections`` hook with :class:`FormSection` objects; the form lists them
under its fields, in the order of the addons' answers. Each section is read with the user's own
environment, so a user who may not read what a section shows gets none.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .env import Environment

__all__ = ["FormSection", "form_sections", "records_section"]

#: field types shown as numbers (aligned right)
_NUMERIC = ("integer", "decimal", "monetary")


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


def records_section(env: Environment, key: str, title: Any, model: str, domain: list[Any],
                    names: tuple[str, ...], limit: int = 50) -> FormSection | None:
    """A section of the records of ``model`` matching ``domain`` that ``env``'s user may read
    (one query), with the columns ``names`` formatted as lists show them, each row opening
    its record; None when the user may not read the model or nothing matches."""
    from .web.cells import formatter

    if model not in env.registry or not env.access.allowed(model, "read"):
        return None
    service = env[model]
    rows = service.search_read(domain, list(names), limit=limit)
    if not rows:
        return None
    infos = [service.fields[name] for name in names]
    formats = [formatter(info) for info in infos]
    return FormSection(
        key, title, tuple(str(info.label) for info in infos),
        tuple(tuple(fmt(row[name]) for fmt, name in zip(formats, names, strict=True))
              for row in rows),
        links=tuple(f"/web/{model}/{row['id']}" for row in rows),
        numeric=tuple(i for i, info in enumerate(infos) if info.type in _NUMERIC))
