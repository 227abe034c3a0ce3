"""A generated year of business data: seeded, deterministic, as large as asked.

``generate(env, "small" | "medium" | "large")`` runs the data steps that the installed addons
contribute through the ``register_data_generators`` hook (partners from ``base``, products from
``product``, orders from ``sales``, stock moves from ``stock``, vouchers from ``accounting``…).
Every step writes through the model service (``env[...]``) and the addons' own actions, so each
record passes the same validation, defaults and hooks as one entered in the UI. Parts of the data
set that no installed addon generates are reported as skipped. Each step draws from its own
random generator, seeded from the seed and the step's model, so the same seed gives the same
records on every machine and adding an addon does not change what the others generate.

Sizes follow the benchmark issue: ``large`` is a real year of a mid-size company (100,000
partners, 50,000 orders, 200,000 order lines, 500,000 stock moves, 1,000,000 journal lines),
``medium`` a tenth of it, ``small`` a demo (and the seed the benchmarks copy), ``tiny`` the
tests' set. ``kangyi demo --size`` runs it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

from .env import Environment
from .errors import ValidationError
from .i18n import _, _l

__all__ = ["Size", "SIZES", "Generated", "DataStep", "generate", "prepare", "data_steps",
           "DEFAULT_SEED", "MARKER_REF", "YEAR", "create_all", "batches", "company_name",
           "person_name", "working_day", "company_ids", "CITIES"]

DEFAULT_SEED = 2026
#: the ``ref`` of the first generated partner: its presence means the data set is loaded
MARKER_REF = "KD0000001"
#: the generated year
YEAR = 2026
BATCH = 1_000


@dataclasses.dataclass(frozen=True)
class Size:
    """How many records of each kind a data set holds."""

    partners: int
    products: int
    categories: int
    orders: int
    lines_per_order: int
    stock_moves: int = 0
    journal_lines: int = 0

    @property
    def order_lines(self) -> int:
        return self.orders * self.lines_per_order


SIZES: dict[str, Size] = {
    "tiny": Size(partners=300, products=40, categories=6, orders=60, lines_per_order=4,
                 stock_moves=120, journal_lines=300),
    "small": Size(partners=1_000, products=100, categories=10, orders=500, lines_per_order=4,
                  stock_moves=5_000, journal_lines=10_000),
    "medium": Size(partners=10_000, products=1_000, categories=20, orders=5_000,
                   lines_per_order=4, stock_moves=50_000, journal_lines=100_000),
    "large": Size(partners=100_000, products=5_000, categories=40, orders=50_000,
                  lines_per_order=4, stock_moves=500_000, journal_lines=1_000_000),
}
#: the parts of a :class:`Size` a step fills, and how the skip report names them
PARTS = {
    "partners": _l("generated partners"),
    "products": _l("generated products"),
    "orders": _l("generated sales orders"),
    "stock_moves": _l("generated stock moves"),
    "journal_lines": _l("generated journal lines"),
}

StepFunction = Callable[[Environment, Size, random.Random, "Generated", Callable[[], None]],
                        list[int]]


@dataclasses.dataclass(frozen=True)
class DataStep:
    """One step of the generated data set, returned by ``register_data_generators``.

    :param model: the model whose records the step creates (counts are reported under it)
    :param run: ``run(env, size, rng, out, commit) -> ids``: writes the records through the
        service (``env`` is a superuser environment), calls ``commit()`` between batches, may
        add counts, ids and skip reasons of its own to ``out``
    :param sequence: steps run by sequence, then in addon dependency order
    :param part: the :class:`Size` count the step fills (``"stock_moves"``…); a part no step
        fills is reported as skipped
    :param numbers: ``(model, field)`` document numbers the step writes; copies of the data set
        (the benchmarks) suffix them to keep them unique
    :param prepare: ``prepare(env)`` creates, when missing, the reference data the step needs
        (locations, accounting periods…); it runs before any step, and copies of the data set
        leave what it made alone
    """

    model: str
    run: StepFunction
    sequence: int = 50
    part: str | None = None
    numbers: tuple[tuple[str, str], ...] = ()
    prepare: Callable[[Environment], Any] | None = None


@dataclasses.dataclass
class Generated:
    """What a run wrote (``counts`` by model) and what it skipped, with the reason."""

    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    skipped: list[str] = dataclasses.field(default_factory=list)
    ids: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    #: ``(model, field)`` document numbers of the steps that ran (see :class:`DataStep`)
    numbers: set[tuple[str, str]] = dataclasses.field(default_factory=set)


def data_steps(env: Environment) -> list[DataStep]:
    """The installed addons' steps, by sequence, then addon dependency order."""
    found = [(step.sequence, index, position, step)
             for index, (_addon, steps) in enumerate(env.registry.call("register_data_generators"))
             for position, step in enumerate(steps)]
    return [step for *_keys, step in sorted(found, key=lambda item: item[:3])]


def prepare(env: Environment) -> None:
    """Create the reference data the installed addons' steps need (idempotent)."""
    for step in data_steps(env):
        if step.prepare is not None:
            step.prepare(env)


def generate(env: Environment, size: str | Size = "small", seed: int = DEFAULT_SEED,
             commit: Callable[[], None] | None = None,
             progress: Callable[[str, int], None] | None = None) -> Generated:
    """Write the data set ``size`` through ``env`` (a superuser environment).

    :param commit: called after each batch (e.g. ``session.commit``), so large sets do not
        hold one huge transaction; None leaves committing to the caller
    :param progress: called with ``(model, count)`` after each step
    :raises ValidationError: when the data set is already loaded in this database
    """
    spec = SIZES[size] if isinstance(size, str) else size
    if env["res.partner"].search([("ref", "=", MARKER_REF)], limit=1):
        raise ValidationError(_("The generated data set is already loaded in this database."))
    out = Generated()
    prepare(env)
    steps = data_steps(env)
    for step in steps:
        rng = random.Random(f"{seed}/{step.model}")
        ids = step.run(env, spec, rng, out, commit or (lambda: None))
        out.ids[step.model] = ids
        out.counts[step.model] = len(ids)
        out.numbers.update(step.numbers)
        if progress is not None:
            progress(step.model, len(ids))
    filled = {step.part for step in steps}
    for part, label in PARTS.items():
        if getattr(spec, part) and part not in filled:
            out.skipped.append(_("%(part)s: no installed addon generates them", part=label))
    return out


# -- helpers for the steps ----------------------------------------------------------------------


def batches(values: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    """``values`` in lists of ``size``."""
    batch: list[Any] = []
    for vals in values:
        batch.append(vals)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def create_all(env: Environment, model: str, values: Iterator[dict[str, Any]],
               commit: Callable[[], None], size: int = BATCH) -> list[int]:
    """Create the records in batches through the service; commit after each batch."""
    ids: list[int] = []
    service = env[model]
    for batch in batches(values, size):
        created = service.create(batch)
        assert isinstance(created, list)
        ids += created
        commit()
    return ids


CITIES = ("上海", "北京", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安",
           "天津", "重庆", "青岛", "厦门", "宁波", "长沙", "郑州", "沈阳", "大连", "合肥")
_NAME_HEADS = ("华东", "华南", "中原", "北方", "东方", "长江", "金桥", "恒信", "康达", "永安",
               "新世纪", "宏图", "德润", "博远", "瑞丰", "嘉禾", "远航", "天成", "安泰", "鼎盛")
_NAME_TRADES = ("机械", "电子", "化工", "医药", "食品", "纺织", "建材", "物流", "贸易", "科技",
                "仪器", "五金", "塑胶", "包装", "能源")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明")


def company_name(rng: random.Random) -> str:
    return f"{rng.choice(CITIES)}{rng.choice(_NAME_HEADS)}{rng.choice(_NAME_TRADES)}有限公司"


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _i in range(rng.randint(1, 2)))


def company_ids(spec: Size, out: Generated) -> list[int]:
    """The generated companies (the partner step creates them first): customers, suppliers."""
    return out.ids.get("res.partner", [])[: max(spec.partners // 5, 1)]


def working_day(rng: random.Random, month: int | None = None) -> dt.date:
    """A working day of the generated year (of ``month`` when given)."""
    if month is None:
        day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
    else:
        first = dt.date(YEAR, month, 1)
        days = ((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - first).days
        day = first + dt.timedelta(days=rng.randrange(days))
    if day.weekday() < 5:
        return day
    friday = day - dt.timedelta(days=day.weekday() - 4)
    return friday if friday.year == YEAR and (month is None or friday.month == month) else \
        day + dt.timedelta(days=7 - day.weekday())
