"""The customer profile: ``res.partner`` extended (never copied) with CRM fields.

Contacts under a company follow their company's salesperson, so the "own customers" record rule
covers them too. Age bands are derived from the birth date, in Python for one record and in SQL
for the segmentation (see :mod:`addons.crm.segmentation`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import case, select
from sqlalchemy.orm import Mapped

from core import fields, public
from core.errors import ValidationError
from core.i18n import _, _l

SOURCES = [("referral", _l("Referral")), ("exhibition", _l("Exhibition")),
           ("web", _l("Website")), ("phone", _l("Cold call")), ("advert", _l("Advertising")),
           ("partner", _l("Business partner")), ("other", _l("Other"))]
CUSTOMER_STATUSES = [("prospect", _l("Prospect")), ("active", _l("Active")),
                     ("dormant", _l("Dormant")), ("lost", _l("Lost"))]
REGIONS = [("north", _l("North China")), ("northeast", _l("Northeast China")),
           ("east", _l("East China")), ("central", _l("Central China")),
           ("south", _l("South China")), ("southwest", _l("Southwest China")),
           ("northwest", _l("Northwest China")), ("overseas", _l("Overseas"))]
#: (key, label, lowest age, highest age); None means open-ended
AGE_BANDS = [("under_30", _l("Under 30"), None, 29), ("30_39", _l("30-39"), 30, 39),
             ("40_49", _l("40-49"), 40, 49), ("50_59", _l("50-59"), 50, 59),
             ("60_plus", _l("60 and over"), 60, None)]


def age_on(birth_date: dt.date | None, today: dt.date) -> int | None:
    """Whole years between ``birth_date`` and ``today``."""
    if birth_date is None:
        return None
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


def age_band(birth_date: dt.date | None, today: dt.date | None = None) -> str | None:
    """The key of the age band of someone born on ``birth_date`` (None when unknown)."""
    age = age_on(birth_date, today or dt.date.today())
    if age is None:
        return None
    for key, _label, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    return None


def _own_if_salesperson(env: Any) -> int | None:
    """A salesperson's new customer is theirs (the "own customers" rule lets them see it)."""
    if env.su or env.uid is None or not env.access.has_group("crm.group_user"):
        return None
    return env.uid


class PartnerCrm:
    _inherit = "res.partner"

    function: Mapped[Optional[str]] = fields.Char(_l("Job position"), size=128)
    industry_id: Mapped[Optional[int]] = fields.Many2one("crm.industry", _l("Industry"))
    region: Mapped[Optional[str]] = fields.Selection(REGIONS, _l("Region"), index=True)
    province: Mapped[Optional[str]] = fields.Char(_l("Province"), size=64, index=True)
    profession: Mapped[Optional[str]] = fields.Char(_l("Profession"), size=64, index=True)
    birth_date: Mapped[Optional[dt.date]] = fields.Date(_l("Birth date"))
    level_id: Mapped[Optional[int]] = fields.Many2one("crm.customer.level", _l("Customer level"))
    source: Mapped[Optional[str]] = fields.Selection(SOURCES, _l("Source"))
    tag_ids = fields.Many2many("crm.tag", _l("Tags"), relation="crm_partner_tag_rel",
                               column1="partner_id", column2="tag_id")
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Salesperson"),
                                                     default=_own_if_salesperson)
    customer_status: Mapped[Optional[str]] = fields.Selection(
        CUSTOMER_STATUSES, _l("Customer status"), default="prospect", index=True)
    followup_ids = fields.One2many("crm.followup", "partner_id", _l("Follow-ups"))
    visit_ids = fields.One2many("crm.visit", "partner_id", _l("Return visits"))
    opportunity_ids = fields.One2many("crm.lead", "partner_id", _l("Opportunities"))
    contract_ids = fields.One2many("crm.contract", "partner_id", _l("Contracts"))

    #: the columns the import page suggests (``core.importing``)
    _import_columns = ("name", "is_company", "parent_id", "function", "phone", "mobile", "email",
                       "vat", "industry_id", "region", "province", "city", "profession",
                       "birth_date", "level_id", "source", "tag_ids", "user_id",
                       "customer_status")

    @classmethod
    def _import_warnings(cls, env: Any, vals: dict[str, Any]) -> list[str]:
        """An imported row that looks like an existing customer (or an earlier row) is flagged."""
        found = find_duplicates(env, vals.get("name"), vals.get("phone") or vals.get("mobile"),
                                vals.get("vat"))
        return [_("Looks like %(name)s (%(reasons)s).", name=d["name"],
                  reasons=", ".join(d["reasons"])) for d in found]

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        """Contacts take their company's salesperson unless one is given."""
        parents = {v["parent_id"] for v in vals_list if v.get("parent_id") and not v.get("user_id")}
        owners = dict(env.session.execute(select(cls.id, cls.user_id).where(
            cls.id.in_(parents))).all()) if parents else {}
        for vals in vals_list:
            if vals.get("parent_id") and not vals.get("user_id"):
                vals["user_id"] = owners.get(vals["parent_id"])
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        """A company's new salesperson also takes over its contacts."""
        super().write(vals)
        if "user_id" in vals:
            for child in self.env.session.scalars(select(type(self)).where(
                    type(self).parent_id == self.id)):
                child.user_id = vals["user_id"]

    @property
    def age_band(self) -> str | None:
        return age_band(self.birth_date)

    @public
    def action_check_duplicates(self) -> dict[str, str]:
        """The form button: a warning naming the likely duplicates, or a message that none
        was found (nothing is changed)."""
        found = self.action_find_duplicates()
        if found:
            raise ValidationError(_("Possible duplicates: %(names)s", names="; ".join(
                f"{d['name']} ({', '.join(d['reasons'])})" for d in found)))
        return {"message": _("No duplicates found: no other customer has the name, phone "
                             "or tax ID of %(name)s.", name=self.name)}

    @public
    def action_find_duplicates(self) -> list[dict[str, Any]]:
        """Other partners with the same name, phone or tax id (a warning, not an error)."""
        return find_duplicates(self.env, self.name, self.phone or self.mobile, self.vat,
                               exclude_id=self.id)


def find_duplicates(env: Any, name: str | None, phone: str | None, vat: str | None,
                    exclude_id: int | None = None) -> list[dict[str, Any]]:
    """Partners the user may read that share the name, a phone number or the tax id.

    :return: ``[{"id", "name", "reasons": [...]}]``
    """
    leaves: list[Any] = []
    if name and name.strip():
        leaves.append(("name", "=ilike", name.strip()))
    if phone and phone.strip():
        leaves += [("phone", "=", phone.strip()), ("mobile", "=", phone.strip())]
    if vat and vat.strip():
        leaves.append(("vat", "=", vat.strip()))
    if not leaves:
        return []
    domain = ["|"] * (len(leaves) - 1) + leaves
    if exclude_id:
        domain = [("id", "!=", exclude_id), *domain]
    rows = env["res.partner"].search_read(domain, ["name", "phone", "mobile", "vat"], limit=20)
    result = []
    for row in rows:
        reasons = []
        if name and (row["name"] or "").strip().lower() == name.strip().lower():
            reasons.append(_("same name"))
        if phone and phone.strip() in (row["phone"], row["mobile"]):
            reasons.append(_("same phone"))
        if vat and row["vat"] == vat.strip():
            reasons.append(_("same tax id"))
        result.append({"id": row["id"], "name": row["name"], "reasons": reasons})
    return result


def age_band_expression(column: Any, today: dt.date) -> Any:
    """SQL ``CASE`` giving the age-band key of a birth-date column on ``today`` (NULL if unknown).

    Someone is at least ``n`` years old when born on or before ``today`` minus ``n`` years.
    """
    whens = []
    for key, _label, low, _high in reversed(AGE_BANDS):
        if low is None:
            whens.append((column.is_not(None), key))
        else:
            whens.append((column <= _years_before(today, low), key))
    return case(*whens, else_=None)


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


PARTNER_MODELS = [PartnerCrm]

__all__ = ["PARTNER_MODELS", "age_band", "age_on", "find_duplicates", "age_band_expression",
           "AGE_BANDS", "REGIONS", "SOURCES", "CUSTOMER_STATUSES"]
