"""Document numbers from ``ir.sequence``: ``env["ir.sequence"].next_by_code("sale.order")``.

A sequence has a ``code`` (shared by the sequences of several companies), a prefix and suffix
that may use date parts (``SO%(year)s-`` → ``SO2026-``), a padding and a step, and restarts every
year when ``reset`` is ``yearly`` (one ``ir.sequence.year`` counter per year).

Numbers are gap-free: the counter is a row incremented in the caller's transaction by an
``UPDATE … RETURNING`` that locks the sequence row (PostgreSQL row lock; SQLite lets one writer at
a time and the engine waits up to its busy timeout), so concurrent documents queue for their
number and a transaction that rolls back gives its number back.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, or_, select, update

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

    One ``UPDATE … RETURNING`` takes the number (for a yearly sequence, of the year's counter
    once the code was seen yearly; else two, three on its first number of a year). Raises
    :class:`UserError` when no active sequence has this code.
    """
    seq = env.registry["ir.sequence"].__table__
    company: Any = company_id
    if company_id is None and env.uid is not None:
        users = env.registry["res.users"].__table__
        company = select(users.c.company_id).where(users.c.id == env.uid).scalar_subquery()
    owner = seq.c.company_id.is_(None) if company is None else or_(
        seq.c.company_id == company, seq.c.company_id.is_(None))
    # a company's own sequence wins over a shared one
    winner = select(seq.c.id).where(seq.c.code == code, seq.c.active.is_(True), owner).order_by(
        seq.c.company_id.is_(None), seq.c.id).limit(1).scalar_subquery()
    step = func.coalesce(func.nullif(seq.c.number_increment, 0), 1)
    day = day or env.context.get("sequence_date") or dt.date.today()
    hint = (env.registry, code)
    if _YEARLY.get(hint):
        number = _this_years_number(env, winner, step, day)
        if number is not None:
            return number
    yearly = seq.c.reset == "yearly"
    # the update locks the sequence row: concurrent callers wait until this transaction ends
    row = env.session.execute(update(seq).where(seq.c.id == winner).values(
        number_next=case((yearly, seq.c.number_next),
                         else_=func.coalesce(seq.c.number_next, 1) + step),
    ).returning(seq.c.id, seq.c.prefix, seq.c.suffix, seq.c.padding, seq.c.reset,
                seq.c.number_next, step.label("step"))).first()
    if row is None:
        raise UserError(_("No sequence with the code %(code)s exists; an administrator can "
                          "create one under Settings › Sequences.", code=code))
    _YEARLY[hint] = row.reset == "yearly"
    if len(_YEARLY) > 4096:
        _YEARLY.clear()
    if row.reset == "yearly":
        number = _next_of_year(env, row.id, day.year, row.step)
    else:
        number = row.number_next - row.step
    return format_number(row.prefix, row.suffix, row.padding, number, day)


#: ``(registry, code)`` → did the code's sequence restart yearly when last used: a hint (the
#: yearly statement checks it again) that lets such numbers take one statement instead of two
_YEARLY: dict[tuple[Any, str], bool] = {}


def _this_years_number(env: Environment, winner: Any, step: Any, day: dt.date) -> str | None:
    """The next number of a yearly sequence whose counter for ``day``'s year exists, in one
    ``UPDATE … RETURNING`` of that counter (its row lock makes concurrent callers queue), the
    sequence's prefix, suffix and padding read by subqueries of the same statement; None
    when the sequence is not yearly (any more) or its year has no counter yet."""
    seq = env.registry["ir.sequence"].__table__
    counters = env.registry["ir.sequence.year"].__table__

    def of_sequence(column: Any) -> Any:
        return select(column).where(seq.c.id == counters.c.sequence_id).scalar_subquery()

    increment = of_sequence(step)
    row = env.session.execute(update(counters).where(
        counters.c.sequence_id == winner, counters.c.year == day.year,
        of_sequence(seq.c.reset) == "yearly",
    ).values(number_next=func.coalesce(counters.c.number_next, 1) + increment).returning(
        counters.c.number_next, increment.label("step"), of_sequence(seq.c.prefix).label(
            "prefix"), of_sequence(seq.c.suffix).label("suffix"),
        of_sequence(seq.c.padding).label("padding"))).first()
    if row is None:
        return None
    return format_number(row.prefix, row.suffix, row.padding, int(row.number_next) - row.step,
                         day)


def _next_of_year(env: Environment, seq_id: int, year: int, step: int) -> int:
    """The next number of the year's counter (created at 1 on the year's first number; the
    caller holds the sequence row's lock, so two first numbers of a year queue)."""
    counters = env.registry["ir.sequence.year"].__table__
    taken = env.session.execute(update(counters).where(
        counters.c.sequence_id == seq_id, counters.c.year == year,
    ).values(number_next=func.coalesce(counters.c.number_next, 1) + step)
        .returning(counters.c.number_next)).first()
    if taken is not None:
        return int(taken.number_next) - step
    env.registry["ir.sequence.year"].create(env.sudo(), [{
        "sequence_id": seq_id, "year": year, "number_next": 1 + step}])
    return 1
