"""Customer segmentation (市场营销分析): customers, contracts and receipts by industry, region,
profession or age band, for a period and a salesperson.

Three ``GROUP BY`` queries (customers; contracts signed in the period; receipts dated in the
period), each filtered by the acting user's access rights and record rules on every table it reads,
through the model service's compiled domains, so a salesperson's figures cover their own customers
only. Age bands are a SQL ``CASE`` over the birth date on the reference day.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.errors import ValidationError
from core.i18n import _, _l

from .models.partner import AGE_BANDS, REGIONS, age_band_expression

DIMENSIONS = {"industry": _l("Industry"), "region": _l("Region"),
              "profession": _l("Profession"), "age_band": _l("Age band")}
#: contract states that count as signed business
SIGNED_STATES = ("approved", "active", "expired", "terminated")


@dataclasses.dataclass
class Segment:
    """One row of a segmentation: a group and its figures."""

    key: Any
    label: str
    customers: int = 0
    contracts: int = 0
    contract_value: Decimal = Decimal("0.00")
    received: Decimal = Decimal("0.00")


def _where(env: Any, model: str, domain: list[Any]) -> Any:
    """The WHERE clause the model service applies for the user reading ``model``."""
    return env[model].where_clause(domain)


def _key(env: Any, dimension: str, partner: Any, today: dt.date) -> Any:
    if dimension == "industry":
        return partner.industry_id
    if dimension == "region":
        return partner.region
    if dimension == "profession":
        return partner.profession
    if dimension == "age_band":
        return age_band_expression(partner.birth_date, today)
    raise ValidationError(_("Unknown segmentation %(dimension)s.", dimension=dimension))


def segment(env: Any, dimension: str, date_from: dt.date | None = None,
            date_to: dt.date | None = None, user_id: int | None = None,
            today: dt.date | None = None) -> list[Segment]:
    """Figures per group of ``dimension``; the period bounds contract signing and receipt dates.

    :param user_id: only customers of this salesperson
    :param today: the day ages are computed on (default: today)
    """
    today = today or dt.date.today()
    partner = env.registry["res.partner"]
    contract = env.registry["crm.contract"]
    payment = env.registry["crm.contract.payment"]
    key = _key(env, dimension, partner, today).label("key")
    partner_domain: list[Any] = [("parent_id", "=", False)]
    if user_id:
        partner_domain.append(("user_id", "=", int(user_id)))
    partner_where = _where(env, "res.partner", partner_domain)
    contract_domain: list[Any] = [("state", "in", list(SIGNED_STATES))]
    payment_domain: list[Any] = []
    if date_from:
        contract_domain.append(("date_signed", ">=", date_from.isoformat()))
        payment_domain.append(("date", ">=", date_from.isoformat()))
    if date_to:
        contract_domain.append(("date_signed", "<=", date_to.isoformat()))
        payment_domain.append(("date", "<=", date_to.isoformat()))
    segments: dict[Any, Segment] = {}

    def row(value: Any) -> Segment:
        return segments.setdefault(value, Segment(value, ""))

    customers = select(key, partner.id.label("pid")).where(partner_where).subquery()
    query = select(customers.c.key, func.count(customers.c.pid)).group_by(customers.c.key)
    for value, count in env.session.execute(query):
        row(value).customers = count
    signed = (select(key, contract.id.label("cid"), contract.amount_total.label("amount"))
              .join(partner, partner.id == contract.partner_id)
              .where(partner_where, _where(env, "crm.contract", contract_domain)).subquery())
    query = select(signed.c.key, func.count(signed.c.cid), func.sum(signed.c.amount)).group_by(
        signed.c.key)
    for value, count, total in env.session.execute(query):
        entry = row(value)
        entry.contracts, entry.contract_value = count, Decimal(total or 0)
    paid = (select(key, payment.amount.label("amount"))
            .join(contract, contract.id == payment.contract_id)
            .join(partner, partner.id == contract.partner_id)
            .where(partner_where, _where(env, "crm.contract.payment", payment_domain)).subquery())
    query = select(paid.c.key, func.sum(paid.c.amount)).group_by(paid.c.key)
    for value, total in env.session.execute(query):
        row(value).received = Decimal(total or 0)
    _label(env, dimension, segments)
    return sorted(segments.values(), key=lambda s: (-s.contract_value, -s.received, -s.customers,
                                                     s.label))


def _label(env: Any, dimension: str, segments: dict[Any, Segment]) -> None:
    names: dict[Any, str] = {}
    if dimension == "industry":
        names = env["crm.industry"].sudo().display_names([k for k in segments if k])
    elif dimension == "region":
        names = {k: str(label) for k, label in REGIONS}
    elif dimension == "age_band":
        names = {k: str(label) for k, label, _low, _high in AGE_BANDS}
    for key, entry in segments.items():
        entry.label = names.get(key, key) if key not in (None, "") else _("Not set")
        entry.contract_value = entry.contract_value.quantize(Decimal("0.01"))
        entry.received = entry.received.quantize(Decimal("0.01"))


def totals(segments: list[Segment]) -> Segment:
    """The sum of all rows."""
    total = Segment(None, _("Total"))
    for entry in segments:
        total.customers += entry.customers
        total.contracts += entry.contracts
        total.contract_value += entry.contract_value
        total.received += entry.received
    return total


def to_csv(segments: list[Segment], dimension: str) -> str:
    """The table as CSV text (UTF-8 with BOM for spreadsheet programs)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(DIMENSIONS[dimension]), _("Customers"), _("Contracts"),
                     _("Contract value"), _("Received")])
    for entry in [*segments, totals(segments)]:
        writer.writerow([entry.label, entry.customers, entry.contracts, entry.contract_value,
                         entry.received])
    return "\ufeff" + out.getvalue()


def bar_chart_svg(segments: list[Segment], measure: str, title: str, width: int = 640) -> str:
    """A horizontal bar chart of ``measure`` per segment, as a standalone SVG string."""
    from markupsafe import escape

    bar_height, gap, label_width, top = 22, 8, 170, 34
    values = [Decimal(getattr(s, measure)) for s in segments]
    peak = max(values, default=Decimal(0)) or Decimal(1)
    plot = width - label_width - 110
    height = top + len(segments) * (bar_height + gap) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'class="crm-chart">',
             f'<text x="0" y="18" font-size="15" font-weight="bold">{escape(title)}</text>']
    for index, (entry, value) in enumerate(zip(segments, values, strict=True)):
        y = top + index * (bar_height + gap)
        length = int(plot * value / peak)
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" font-size="13" '
                     f'text-anchor="end">{escape(entry.label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{max(length, 1)}" '
                     f'height="{bar_height}" fill="#3b7dd8"><title>{escape(entry.label)}: '
                     f'{value:,}</title></rect>')
        parts.append(f'<text x="{label_width + length + 6}" y="{y + 16}" '
                     f'font-size="12">{value:,}</text>')
    parts.append("</svg>")
    return "".join(parts)
