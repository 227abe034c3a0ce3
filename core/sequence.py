"""Document numbers from ``ir.sequence``: ``env["ir.sequence"].next_by_code("sale.order")``.

A sequence has a ``code`` (shared by the sequences of several companies), a prefix and suffix
that may use date parts (``SO%(year)s-`` → ``SO2026-``), a padding and a step, and restarts every
year when ``reset`` is ``yearly`` (one ``ir.sequence.year`` counter per year).

Numbers are gap-free: the counter is a row updated in the caller's transaction, with the sequence
row locked first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite lets one writer at a time and the
engine waits up to its busy timeout), so concurrent documents queue for their number and a
transaction that rolls back gives its number back.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update

from .errors import UserError, ValidationError
from .i18n import _

if TYPE_CHECKING:
    from .env import Environment

__all__ = ["next_by_code", "format_number", "date_parts"]


def date_parts(day: dt.date) -> dict[str, str]:
    """The ``%(name)s`` placeholders a prefix or suffix may use."""
    return {"year": f"{day.year:04d}", "y": f"{day.year % 100:02d}", "month": f"{day.month:02d}",
            "day": f"{day.day:02d}", "doy": f"{day.timetuple().tm_yday:03d}"}


def format_number(prefix: str | None, suffix: str | None, padding: int | None, number: int,
                  day: dt.date) -> str:
    """``prefix`` + number padded to ``padding`` digits + ``suffix``, date parts filled in."""
    parts = date_parts(day)
    pattern = "|".join(p for p in (prefix, suffix) if p)
    try:
        head = (prefix or "") % parts
        tail = (suffix or "") % parts
    except (KeyError, ValueError, TypeError) as exc:
        raise ValidationError(_("The prefix or suffix %(pattern)r uses an unknown placeholder; "
                                "allowed: %(names)s.", pattern=pattern,
                                names=", ".join(f"%({k})s" for k in parts))) from exc
    return f"{head}{number:0{max(int(padding or 0), 0)}d}{tail}"


def next_by_code(env: Environment, code: str, day: dt.date | None = None,
                 company_id: int | None = None) -> str:
    """The next number of the sequence ``code`` for the user's company (or a shared one).

    Raises :class:`UserError` when no active sequence has this code.
    """
    registry = env.registry
    seq = registry["ir.sequence"]
    if company_id is None and env.uid is not None:
        user = env.session.get(registry["res.users"], env.uid)
        company_id = user.company_id if user is not None else None
    query = select(seq).where(seq.code == code, seq.active.is_(True))
    query = query.where(or_(seq.company_id == company_id, seq.company_id.is_(None))) if (
        company_id) else query.where(seq.company_id.is_(None))
    # a company's own sequence wins over a shared one
    candidates = list(env.session.execute(
        query.with_only_columns(seq.id, seq.company_id).order_by(seq.company_id.is_(None),
                                                                 seq.id).limit(1)))
    if not candidates:
        raise UserError(_("No sequence with the code %(code)s exists; an administrator can "
                          "create one under Settings › Sequences.", code=code))
    seq_id = candidates[0].id
    day = day or env.context.get("sequence_date") or dt.date.today()
    # lock the sequence row: concurrent callers wait here until this transaction ends
    row = env.session.execute(select(seq.__table__).where(seq.id == seq_id)
                              .with_for_update()).one()
    step = int(row.number_increment or 1)
    if row.reset == "yearly":
        number = _next_of_year(env, seq_id, day.year, step)
    else:
        number = int(row.number_next or 1)
        env.session.execute(update(seq.__table__).where(seq.__table__.c.id == seq_id)
                            .values(number_next=number + step))
    return format_number(row.prefix, row.suffix, row.padding, number, day)


def _next_of_year(env: Environment, seq_id: int, year: int, step: int) -> int:
    counters = env.registry["ir.sequence.year"].__table__
    current: Any = env.session.execute(select(counters.c.id, counters.c.number_next).where(
        counters.c.sequence_id == seq_id, counters.c.year == year)).first()
    if current is None:
        env.registry["ir.sequence.year"].create(env.sudo(), [{
            "sequence_id": seq_id, "year": year, "number_next": 1 + step}])
        return 1
    env.session.execute(update(counters).where(counters.c.id == current.id)
                        .values(number_next=(current.number_next or 1) + step))
    return int(current.number_next or 1)
