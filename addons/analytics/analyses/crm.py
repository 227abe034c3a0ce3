"""CRM analyses: the market segmentation (customers by industry, profession, birth year as the
age band, region; contracts by customer and period) and the pipeline, on the generic views."""

from __future__ import annotations

from core.i18n import _l

from ..declare import Analysis, Dashboard, Tile

CUSTOMERS = (("parent_id", "=", False),)
SIGNED = (("state", "in", ("approved", "active", "expired", "terminated")),)

ITEMS = [
    Analysis("analytics.crm_by_industry", _l("Customers by industry and region"), "res.partner",
             rows=("industry_id",), cols=("region",), domain=CUSTOMERS),
    Analysis("analytics.crm_by_profession", _l("Customers by profession"), "res.partner",
             rows=("profession",), cols=("level_id",), domain=CUSTOMERS),
    Analysis("analytics.crm_by_age", _l("Customers by birth year"), "res.partner",
             rows=("birth_date:year",), domain=CUSTOMERS, kind="graph", chart="bar"),
    Analysis("analytics.crm_contracts", _l("Signed contracts"), "crm.contract",
             rows=("partner_id",), cols=("date_signed:quarter",),
             measures=("amount_total:sum", "amount_received:sum", "amount_due:sum"),
             domain=SIGNED),
    Analysis("analytics.crm_pipeline", _l("Pipeline by stage"), "crm.lead",
             rows=("stage_id",), cols=("user_id",),
             measures=("expected_revenue:sum", "__count"), kind="graph", chart="stacked"),
    Tile("analytics.tile_crm_contracts", _l("Contracts signed"), "crm.contract",
         measure="amount_total:sum", date_field="date_signed", domain=SIGNED,
         analysis="analytics.crm_contracts"),
    Dashboard("analytics.dashboard_sales", _l("Sales director"),
              tiles=("analytics.tile_crm_contracts",), charts=("analytics.crm_pipeline",)),
]
